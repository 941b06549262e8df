package be.praatbrug.bridge.appservice;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.store.Store;
import be.praatbrug.bridge.web.JsonBodyHandler;
import be.praatbrug.bridge.web.MatrixErrorHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application-service API the homeserver calls ({@code /_matrix/app/v1/...}), as one router.
 *
 * <p>Every route requires the {@code hs_token}. Unknown paths answer 404 and wrong methods 405,
 * both {@code M_UNRECOGNIZED}, as the spec asks, so the homeserver can tell "not supported" from
 * "failed".
 */
public final class AppServiceApi {

  private static final Logger LOG = LoggerFactory.getLogger(AppServiceApi.class);
  private static final Pattern USER_ID = Pattern.compile("@[^:]+:.+");
  private static final Pattern ROOM_ALIAS = Pattern.compile("#[^:]+:.+");

  private final TransactionHandler transactions;
  private final Router router;
  /** Ids of the latest pings that reached us (the bridge pings once, at startup). */
  private final java.util.Set<String> pingsReceived = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public AppServiceApi(Vertx vertx, Store store, EventProcessor processor, String hsToken,
      long maxBodyBytes, Clock clock) {
    this.transactions = new TransactionHandler(store, processor, clock);
    this.router = Router.router(vertx);
    MatrixErrorHandler errors = new MatrixErrorHandler();

    router.route("/_matrix/app/*").handler(new HomeserverTokenAuth(hsToken));
    router.route("/_matrix/app/*").handler(JsonBodyHandler.limitedTo(maxBodyBytes));
    router.put("/_matrix/app/v1/transactions/:txnId").handler(transactions);
    router.get("/_matrix/app/v1/users/:userId").handler(AppServiceApi::queryUser);
    router.get("/_matrix/app/v1/rooms/:alias").handler(AppServiceApi::queryRoomAlias);
    router.post("/_matrix/app/v1/ping").handler(this::ping);

    router.route().failureHandler(errors);
    router.errorHandler(404, errors);
    router.errorHandler(405, errors);
    router.errorHandler(413, errors);
    router.errorHandler(500, errors);
  }

  public Router router() {
    return router;
  }

  /** Lets {@code observer} watch transactions and event outcomes (metrics). */
  public void observe(TransactionObserver observer) {
    transactions.observe(observer);
  }

  /** Room events handed to processing since start. */
  public long eventsHandled() {
    return transactions.eventsHandled();
  }

  /**
   * Praatbrug creates the users in its namespace itself (the bot, and guests when a client opens a
   * link), so it never asks the homeserver to create one on demand.
   */
  private static void queryUser(RoutingContext ctx) {
    String userId = ctx.pathParam("userId");
    if (!USER_ID.matcher(userId).matches()) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "Not a Matrix user id");
    }
    throw new MatrixException(ErrCode.M_NOT_FOUND, "Praatbrug does not create users on demand");
  }

  /** Counselling rooms have no aliases on purpose: a guessable name would be a way in. */
  private static void queryRoomAlias(RoutingContext ctx) {
    String alias = ctx.pathParam("alias");
    if (!ROOM_ALIAS.matcher(alias).matches()) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "Not a Matrix room alias");
    }
    throw new MatrixException(ErrCode.M_NOT_FOUND, "Praatbrug does not provide room aliases");
  }

  /** The homeserver's half of the startup ping: proves it can reach us with the right token. */
  private void ping(RoutingContext ctx) {
    if (ctx.body().length() > 0) {
      String pingId = JsonBodies.object(ctx).getString("transaction_id");
      LOG.debug("ping from homeserver, transaction {}", pingId);
      if (pingId != null) {
        if (pingsReceived.size() >= 16) {
          pingsReceived.clear(); // only the latest startup ping is ever asked about
        }
        pingsReceived.add(pingId);
      }
    }
    ctx.json(new JsonObject());
  }

  /** Whether the homeserver's call for the ping with this transaction id reached us. */
  public boolean pingReached(String pingId) {
    return pingsReceived.contains(pingId);
  }

  /**
   * Holds transactions that arrive before {@code startup} completes, then handles them: the
   * homeserver may push (or, after the startup ping, resend) while rooms are still loading and the
   * E2EE device is not ready, and a to-device room key refused then would never come again. A
   * failed startup answers them with an error, so the homeserver keeps them for the next bridge.
   */
  public void holdTransactionsUntil(Future<?> startup) {
    transactions.holdUntil(startup);
  }

  /** Where to-device messages and key counts of transactions go (the bot's E2EE device). */
  public void setDeviceDataSink(DeviceDataSink sink) {
    transactions.setDeviceDataSink(sink);
  }
}
