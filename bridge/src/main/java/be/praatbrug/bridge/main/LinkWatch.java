package be.praatbrug.bridge.main;

import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.matrix.MatrixException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the two links the bridge depends on, and says in the log when one breaks or comes back:
 * the bridge's own homeserver, and that homeserver's federation with each partner server.
 *
 * <p>Neither outage stops the bridge. While its homeserver is away, commands and room events wait
 * in Synapse, which resends undelivered transactions once it is back; on recovery every room is
 * reconciled, to repair whatever was missed. While a partner is away, Synapse queues what is meant
 * for it and delivers it when the partner answers again; the policy keeps being enforced in our
 * rooms meanwhile. Federation status comes from Synapse's admin API, so it needs the bot to be a
 * server admin (as retention does); without that the watch says so once and only watches the
 * homeserver. Only transitions are logged, so a long outage is two lines, not thousands.
 */
final class LinkWatch {

  private static final Logger LOG = LoggerFactory.getLogger(LinkWatch.class);

  private final MatrixClient matrix;
  private final String homeserver;
  private final Supplier<List<String>> partners;
  private final Runnable onHomeserverBack;
  private final Clock clock;
  private final Map<String, Boolean> failing = new ConcurrentHashMap<>();
  private Instant homeserverDownSince;
  private boolean federationReadable = true;

  LinkWatch(MatrixClient matrix, String homeserver, Supplier<List<String>> partners,
      Runnable onHomeserverBack, Clock clock) {
    this.matrix = matrix;
    this.homeserver = homeserver;
    this.partners = partners;
    this.onHomeserverBack = onHomeserverBack;
    this.clock = clock;
  }

  /** One round of checks; call it on a timer from the event loop. */
  void check() {
    matrix.whoAmI().onComplete(reached -> {
      if (reached.failed()) {
        if (homeserverDownSince == null) {
          homeserverDownSince = clock.instant();
          LOG.warn("homeserver {} unreachable ({}). The bridge keeps running: commands and room events "
              + "wait in the homeserver, which resends them once it is back; rooms are then reconciled",
              homeserver, reached.cause().getMessage());
        }
        return;
      }
      if (homeserverDownSince != null) {
        LOG.info("homeserver {} reachable again after {} s; reconciling every room", homeserver,
            Duration.between(homeserverDownSince, clock.instant()).toSeconds());
        homeserverDownSince = null;
        onHomeserverBack.run();
      }
      checkFederation();
    });
  }

  private void checkFederation() {
    if (!federationReadable) {
      return;
    }
    for (String partner : partners.get()) {
      matrix.federationDestination(partner).onComplete(status -> {
        if (status.failed()) {
          noStatus(partner, status.cause());
          return;
        }
        report(partner, status.result());
      });
    }
  }

  private void noStatus(String partner, Throwable cause) {
    if (cause instanceof MatrixException matrixError && matrixError.httpStatus() == 403) {
      federationReadable = false;
      LOG.info("federation status not watched: the bot is not a server admin of {} (see README)",
          homeserver);
    } else if (!(cause instanceof MatrixException matrixError && matrixError.httpStatus() == 404)) {
      // 404: never talked to that partner yet, nothing to report.
      LOG.debug("federation status for {} unavailable: {}", partner, cause.toString());
    }
  }

  private void report(String partner, JsonObject status) {
    Long failureTs = status.getLong("failure_ts");
    boolean nowFailing = failureTs != null;
    Boolean wasFailing = failing.put(partner, nowFailing);
    if (nowFailing && !Boolean.TRUE.equals(wasFailing)) {
      LOG.warn("federation with {} failing since {} (homeserver retries in {} s). Its events for {} "
          + "are queued and delivered when it answers again; our rooms keep their policy meanwhile",
          partner, Instant.ofEpochMilli(failureTs), status.getLong("retry_interval", 0L) / 1000, partner);
    } else if (!nowFailing && Boolean.TRUE.equals(wasFailing)) {
      LOG.info("federation with {} restored", partner);
    }
  }
}
