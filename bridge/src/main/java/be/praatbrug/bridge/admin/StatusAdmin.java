package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.rooms.Reconciler;
import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code GET /status}: is the homeserver reachable, when did the last transaction arrive, when did
 * the last reconciliation and the last retention runs happen. Read-only, and cheap enough to poll.
 */
final class StatusAdmin {

  private static final int PURGE_RUNS = 10;

  private final Database database;
  private final Reconciler reconciler;
  private final WebClient web;
  private final String homeserver;
  private final Clock clock;

  StatusAdmin(Vertx vertx, Database database, Reconciler reconciler, String homeserver, Clock clock) {
    this.database = database;
    this.reconciler = reconciler;
    this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(3_000));
    this.homeserver = homeserver.replaceAll("/+$", "");
    this.clock = clock;
  }

  void status(RoutingContext ctx) {
    long started = System.nanoTime();
    Future<JsonObject> homeserverCheck = web.getAbs(homeserver + "/_matrix/client/versions")
        .timeout(3_000).send()
        .map(response -> new JsonObject().put("reachable", response.statusCode() == 200)
            .put("status", response.statusCode())
            .put("round_trip_ms", (System.nanoTime() - started) / 1_000_000))
        .otherwise(failure -> new JsonObject().put("reachable", false)
            .put("error", failure.getMessage()));
    Future<JsonObject> stored = database.blocking(connection -> {
      JsonObject result = new JsonObject();
      try (PreparedStatement last = connection.prepareStatement(
          "SELECT MAX(processed_at) FROM appservice_transactions");
          ResultSet rows = last.executeQuery()) {
        rows.next();
        long at = rows.getLong(1);
        result.put("last_transaction_at", rows.wasNull() ? null : Instant.ofEpochMilli(at).toString());
      }
      JsonArray runs = new JsonArray();
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT room_id, kind, status, cutoff_ts, started_at, finished_at, files, file_bytes"
              + " FROM retention_runs"
              + " ORDER BY started_at DESC LIMIT " + PURGE_RUNS);
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          long finished = rows.getLong(6);
          Instant finishedAt = rows.wasNull() ? null : Instant.ofEpochMilli(finished);
          runs.add(new JsonObject().put("room_id", rows.getString(1)).put("kind", rows.getString(2))
              .put("status", rows.getString(3))
              .put("cutoff", Instant.ofEpochMilli(rows.getLong(4)).toString())
              .put("started_at", Instant.ofEpochMilli(rows.getLong(5)).toString())
              .put("finished_at", finishedAt == null ? null : finishedAt.toString())
              .put("files", rows.getInt(7)).put("file_bytes", rows.getLong(8)));
        }
      }
      // The last purge that completed on this server, whatever came after it.
      try (PreparedStatement last = connection.prepareStatement(
          "SELECT MAX(finished_at) FROM retention_runs WHERE kind = 'purge' AND status = 'complete'");
          ResultSet rows = last.executeQuery()) {
        rows.next();
        long at = rows.getLong(1);
        result.put("last_purge_at", rows.wasNull() ? null : Instant.ofEpochMilli(at).toString());
      }
      return result.put("last_purge_runs", runs);
    });
    Future.all(homeserverCheck, stored).onSuccess(both -> {
      JsonObject body = stored.result().copy()
          .put("now", clock.instant().toString())
          .put("homeserver", homeserverCheck.result().put("url", homeserver))
          .put("last_reconciliation", reconciler.lastRun().map(run -> new JsonObject()
              .put("finished_at", run.finishedAt().toString()).put("rooms", run.rooms())
              .put("repaired", run.repaired())).orElse(null))
          .put("database", database.backend());
      ctx.json(body);
    }).onFailure(ctx::fail);
  }

  void close() {
    web.close();
  }
}
