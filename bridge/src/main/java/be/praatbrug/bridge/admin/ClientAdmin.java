package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.ledger.ClientRefs;
import be.praatbrug.bridge.ledger.ConsentDecision;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.LedgerExports;
import be.praatbrug.bridge.ledger.SessionRow;
import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.policy.clients.ClientReference;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Client records for admins answering an inspection or a data-subject request: find a record by
 * (the start of) its reference, and see every session of that client with date, start, end,
 * duration and counsellor, and where consent stands. The label stays sealed here (the
 * data-subject export opens it for the person it is about).
 */
final class ClientAdmin {

  private static final int MAX_RESULTS = 20;

  private final ClientRecords clients;
  private final Ledger ledger;
  private final LedgerExports exports;
  private final Supplier<String> organisation;

  ClientAdmin(ClientRecords clients, Ledger ledger, Supplier<String> organisation, Clock clock) {
    this.clients = clients;
    this.ledger = ledger;
    this.exports = ledger == null ? null : new LedgerExports(ledger, clock);
    this.organisation = organisation;
  }

  /** {@code GET /clients?q=C-7K3}: records whose reference starts so, at most {@value #MAX_RESULTS}. */
  void search(RoutingContext ctx) {
    String typed = ctx.queryParam("q").stream().findFirst().orElse("").strip();
    if (typed.length() < 2 || typed.length() > 128) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "q: type at least 2 characters of a client "
          + "reference, e.g. C-7K3P");
    }
    clients.search(typed, MAX_RESULTS).onSuccess(found -> {
      JsonArray records = new JsonArray();
      found.forEach(record -> records.add(recordJson(record)));
      ctx.json(new JsonObject().put("clients", records));
    }).onFailure(ctx::fail);
  }

  /** {@code GET /clients/{clientRef}}: the record, its consent and every session. */
  void read(RoutingContext ctx) {
    String typed = ctx.pathParam("clientRef");
    String ref = ClientReference.normalise(typed).orElse(typed);
    if (!ClientRefs.isValid(ref)) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "Not a client reference (e.g. C-7K3P-9Q2M)");
    }
    Future<Optional<ClientRecord>> record = clients.find(ref);
    Future<Optional<ConsentDecision>> consent = ledger.latestConsent(ref, organisation.get());
    Future<List<SessionRow>> sessions = exports.sessions(ref, null, null);
    Future.all(record, consent, sessions).onSuccess(all -> {
      if (record.result().isEmpty()) {
        ctx.fail(new MatrixException(ErrCode.M_NOT_FOUND, "No client record " + ref));
        return;
      }
      JsonArray rows = new JsonArray();
      long total = 0;
      for (SessionRow row : sessions.result()) {
        total += row.durationSeconds() == null ? 0 : row.durationSeconds();
        rows.add(new JsonObject()
            .put("session_id", row.sessionId())
            .put("counsellor", row.counsellor())
            .put("room_id", row.roomId())
            .put("started_at", row.startedAt().toString())
            .put("ended_at", row.endedAt() == null ? null : row.endedAt().toString())
            .put("duration_seconds", row.durationSeconds())
            .put("ledger_position", row.ledgerPosition())
            .put("place", row.place()));
      }
      JsonObject consentJson = consent.result().map(decision -> new JsonObject()
          .put("given", decision.given()).put("version", decision.version())
          .put("channel", decision.channel()).put("at", decision.at().toString())
          .put("under_12", decision.under12())).orElse(null);
      ctx.json(recordJson(record.result().get())
          .put("consent", consentJson)
          .put("sessions", rows)
          .put("total_duration_seconds", total));
    }).onFailure(ctx::fail);
  }

  private static JsonObject recordJson(ClientRecord record) {
    return new JsonObject()
        .put("client_ref", record.ref())
        .put("origin", record.origin())
        .put("created_at", record.createdAt().toString())
        .put("created_by", record.createdBy())
        .put("has_label", record.hasLabel())
        .put("matrix_account", record.matrixAccount())
        .put("erased_at", record.erasedAt() == null ? null : record.erasedAt().toString());
  }
}
