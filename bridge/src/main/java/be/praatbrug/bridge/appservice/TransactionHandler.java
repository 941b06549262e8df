package be.praatbrug.bridge.appservice;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.store.Store;
import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /_matrix/app/v1/transactions/{txnId}}: the homeserver pushes room events here.
 *
 * <p>The flow, top to bottom: parse the body → hand its device data (to-device messages, key
 * counts) to the E2EE device's own queue, without waiting for it → was this txnId handled already
 * (same events)? then acknowledge without re-running → otherwise hand each event to the
 * room-ordered queue → wait for every outcome → persist the txnId → {@code {}}. Synapse sends the
 * next transaction only after this answer, so to-device work (a thousand room keys from one
 * account) must not be in its way: the next transaction may hold an intruder's join. Persisting after handling gives at-least-once
 * handling; actions are idempotent (deterministic send txn ids) so a crash in between is harmless.
 * If the store fails the homeserver gets a 5xx and retries, so nothing is lost.
 */
final class TransactionHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionHandler.class);

  private final Store store;
  private final EventProcessor processor;
  private final Clock clock;
  private final RoomOrderedQueue queue = new RoomOrderedQueue();
  /** A resend that arrives while the first attempt still runs joins that attempt. */
  private final Map<String, Future<Void>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong eventsHandled = new AtomicLong();
  /** Highest numeric txn id handled; loaded from the store once, then kept current here. */
  private final AtomicLong highestNumericId = new AtomicLong(-1);
  private Future<Long> highestLoaded;
  private volatile TransactionObserver observer = TransactionObserver.NONE;
  private volatile DeviceDataSink deviceData = body -> Future.succeededFuture();
  private volatile Future<?> startedUp = Future.succeededFuture();

  TransactionHandler(Store store, EventProcessor processor, Clock clock) {
    this.store = store;
    this.processor = processor;
    this.clock = clock;
  }

  void setDeviceDataSink(DeviceDataSink sink) {
    this.deviceData = sink;
  }

  void holdUntil(Future<?> startup) {
    this.startedUp = startup;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long received = System.nanoTime();
    String txnId = ctx.pathParam("txnId");
    JsonObject body = JsonBodies.object(ctx);
    List<MatrixEvent> events = roomEvents(txnId, body);
    String fingerprint = fingerprint(events);
    Future<Void> done = inFlight.computeIfAbsent(txnId, id -> startedUp
        .compose(open -> {
          takeDeviceData(id, body);
          return handleOnce(id, fingerprint, events, received);
        }));
    done.onComplete(result -> {
      inFlight.remove(txnId, done);
      observer.transaction(result.succeeded() ? "ok" : "error", events.size());
    });
    done.onSuccess(ok -> ctx.json(new JsonObject())).onFailure(ctx::fail);
  }

  /**
   * To-device messages and key counts go to the E2EE device, which works through them in the
   * order transactions came, after this transaction is answered. An encrypted event whose room key
   * is still in that queue waits for the key on its own (the device's missing-key wait) instead of
   * holding up the transaction. A failure there is logged: a resent transaction would not carry
   * the to-device data again anyway.
   */
  private void takeDeviceData(String txnId, JsonObject body) {
    Future<Void> taken;
    try {
      taken = deviceData.accept(body);
    } catch (RuntimeException e) {
      taken = Future.failedFuture(e);
    }
    taken.onFailure(failure -> LOG.warn("txn {}: device data not taken: {}", txnId, failure.toString()));
  }

  /** Room events handed to the processor so far (for tests and metrics). */
  long eventsHandled() {
    return eventsHandled.get();
  }

  void observe(TransactionObserver observer) {
    this.observer = observer;
  }

  private Future<Void> handleOnce(String txnId, String fingerprint, List<MatrixEvent> events,
      long received) {
    return alreadySeen(txnId).compose(seen -> {
      if (seen.isPresent() && seen.get().equals(fingerprint)) {
        LOG.info("txn {}: already handled, acknowledging without re-running", txnId);
        return Future.succeededFuture();
      }
      if (seen.isPresent()) {
        // Synapse restarts its numbering when its database is reset; new events must not be dropped.
        LOG.warn("txn {}: id seen before with other events (homeserver database reset?); handling",
            txnId);
      }
      List<Future<EventOutcome>> outcomes = new ArrayList<>(events.size());
      for (MatrixEvent event : events) {
        eventsHandled.incrementAndGet();
        outcomes.add(queue.submit(event, processor).map(outcome -> {
          observe(txnId, event, outcome, received);
          return outcome;
        }));
      }
      return Future.all(outcomes)
          .compose(all -> store.recordTransaction(txnId, fingerprint, events.size(), clock.instant()))
          .map(recorded -> {
            numeric(txnId).ifPresent(id -> highestNumericId.accumulateAndGet(id, Math::max));
            return recorded;
          });
    });
  }

  /**
   * Logs and times one event's outcome, until its last action is done, also when that comes after
   * the answer (a removal). Never fails the event: a transaction is not resent for its metrics.
   */
  private void observe(String txnId, MatrixEvent event, EventOutcome outcome, long received) {
    try {
      log(txnId, event, outcome);
      Future<Void> settled = outcome instanceof EventOutcome.Handled handled ? handled.settled()
          : Future.succeededFuture();
      settled.onComplete(done -> observer.event(event, done.succeeded() ? outcome
          : new EventOutcome.Failed(done.cause()), System.nanoTime() - received));
    } catch (RuntimeException e) {
      LOG.warn("txn {}: the outcome of {} was not logged or timed: {}", txnId, event.eventId(), e.toString());
    }
  }

  /**
   * The fingerprint a txn id was handled with, if any. Synapse numbers transactions upwards, so an
   * id above every one handled so far is new and needs no database round trip: that keeps the
   * store off the path between a join arriving and the kick going out.
   */
  private Future<java.util.Optional<String>> alreadySeen(String txnId) {
    if (highestLoaded == null) {
      // map, not onSuccess: the compose below must never read the highest id before it is known.
      highestLoaded = store.highestRecentNumericTransactionId()
          .map(highest -> highestNumericId.accumulateAndGet(highest, Math::max))
          // A store that is down now may be back for the next transaction: ask again then.
          .onFailure(failure -> highestLoaded = null);
    }
    return highestLoaded.compose(loaded -> {
      java.util.Optional<Long> id = numeric(txnId);
      if (id.isPresent() && id.get() > highestNumericId.get()) {
        return Future.succeededFuture(java.util.Optional.<String>empty());
      }
      return store.transactionFingerprint(txnId);
    });
  }

  private static java.util.Optional<Long> numeric(String txnId) {
    return txnId.matches("[0-9]{1,18}") ? java.util.Optional.of(Long.parseLong(txnId))
        : java.util.Optional.empty();
  }

  private static void log(String txnId, MatrixEvent event, EventOutcome outcome) {
    if (outcome instanceof EventOutcome.Failed) {
      LOG.warn("txn {} event {} ({}): {}", txnId, event.eventId(), event.type(), outcome.describe());
    } else if (outcome instanceof EventOutcome.Handled) {
      LOG.info("txn {} event {} ({}): {}", txnId, event.eventId(), event.type(), outcome.describe());
    } else {
      LOG.debug("txn {} event {} ({}): {}", txnId, event.eventId(), event.type(), outcome.describe());
    }
  }

  /**
   * The room events of a transaction body. A body without an {@code events} list is a client
   * mistake (400); a single malformed event is skipped and logged, because refusing the whole
   * transaction would make the homeserver resend it forever and stall every later event.
   */
  private static List<MatrixEvent> roomEvents(String txnId, JsonObject body) {
    Object raw = body.getValue("events");
    if (!(raw instanceof JsonArray array)) {
      throw new MatrixException(ErrCode.M_BAD_JSON, "\"events\" must be a list of events");
    }
    List<MatrixEvent> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        events.add(JsonBodies.event(array.getValue(i)));
      } catch (IllegalArgumentException malformed) {
        LOG.warn("txn {}: events[{}] skipped: {}", txnId, i, malformed.getMessage());
      }
    }
    return events;
  }

  private static String fingerprint(List<MatrixEvent> events) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (MatrixEvent event : events) {
        digest.update(event.eventId().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
