package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.ledger.ClientRefs;
import be.praatbrug.bridge.ledger.EntryKind;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.LedgerEntry;
import be.praatbrug.bridge.ledger.LedgerExports;
import be.praatbrug.bridge.ledger.SessionExport;
import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger for admins: page through it, verify the chain, and the exports of the {@code ledger}
 * command (consent proof, session metadata as CSV or JSON, data-subject export and erasure).
 *
 * <p>Listings show entries as stored: personal fields stay sealed; only the per-client exports
 * open them, as the command line does.
 */
final class LedgerAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerAdmin.class);
  private static final int MAX_LIMIT = 500;

  private final Ledger ledger;
  private final LedgerExports exports;
  private final Clock clock;

  LedgerAdmin(Ledger ledger, Clock clock) {
    this.ledger = ledger;
    this.exports = ledger == null ? null : new LedgerExports(ledger, clock);
    this.clock = clock;
  }

  /** {@code GET /ledger/entries?after=&limit=&kind=&client_ref=}. */
  void entries(RoutingContext ctx) {
    long after = number(ctx, "after", 0, Long.MAX_VALUE);
    int limit = (int) number(ctx, "limit", 100, MAX_LIMIT);
    String kindName = query(ctx, "kind");
    EntryKind kind;
    try {
      kind = kindName == null ? null : EntryKind.fromWireName(kindName);
    } catch (IllegalArgumentException e) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "kind \"" + kindName + "\" is not a ledger "
          + "entry kind");
    }
    String client = query(ctx, "client_ref");
    Future<List<LedgerEntry>> found = client == null ? ledger.page(after, limit)
        : ledger.pageFor(clientRef(client), after, limit);
    found.onSuccess(page -> {
      JsonArray entries = new JsonArray();
      page.stream().filter(entry -> kind == null || entry.kind() == kind)
          .forEach(entry -> entries.add(new JsonObject()
              .put("position", entry.position())
              .put("kind", entry.kind().wireName())
              .put("at", entry.at().toString())
              .put("client_ref", entry.clientRef())
              .put("fields", new JsonObject(new java.util.LinkedHashMap<>(entry.fields())))
              .put("sealed_fields", new JsonArray(List.copyOf(entry.sealedFields().keySet())))
              .put("hash", entry.hash())));
      Long next = page.size() < limit ? null : page.get(page.size() - 1).position();
      ctx.json(new JsonObject().put("entries", entries).put("next_after", next));
    }).onFailure(ctx::fail);
  }

  /** {@code GET /ledger/verify}: walks the whole chain. */
  void verify(RoutingContext ctx) {
    ledger.verify().onSuccess(report -> ctx.json(new JsonObject()
        .put("ok", report.ok())
        .put("entries_checked", report.entriesChecked())
        .put("public_key_fingerprint", report.publicKeyFingerprint())
        .put("findings", new JsonArray(report.lines()))))
        .onFailure(ctx::fail);
  }

  void consentProof(RoutingContext ctx) {
    exports.consentProof(clientRef(ctx.pathParam("clientRef")))
        .onSuccess(proof -> download(ctx, "application/json", "consent-" + proof.getString("client_ref")
            + ".json", proof.encodePrettily()))
        .onFailure(ctx::fail);
  }

  /** {@code GET /ledger/sessions?format=csv|json&client_ref=&from=&to=}. */
  void sessions(RoutingContext ctx) {
    String format = query(ctx, "format") == null ? "json" : query(ctx, "format");
    if (!List.of("csv", "json").contains(format)) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "format is csv or json");
    }
    String client = query(ctx, "client_ref") == null ? null : clientRef(query(ctx, "client_ref"));
    Instant from = date(ctx, "from");
    Instant to = date(ctx, "to");
    if (from != null && to != null && !from.isBefore(to)) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "from " + from + " is not before to " + to);
    }
    exports.sessions(client, from, to).onSuccess(rows -> {
      if ("csv".equals(format)) {
        download(ctx, "text/csv; charset=utf-8", "sessies.csv", SessionExport.csv(rows));
      } else {
        download(ctx, "application/json", "sessies.json",
            SessionExport.json(rows, client, from, to, clock.instant()).encodePrettily());
      }
    }).onFailure(ctx::fail);
  }

  void subject(RoutingContext ctx) {
    String client = clientRef(ctx.pathParam("clientRef"));
    exports.subject(client)
        .onSuccess(export -> download(ctx, "application/json", "subject-" + client + ".json",
            export.encodePrettily()))
        .onFailure(ctx::fail);
  }

  /** {@code POST /ledger/subjects/{clientRef}/erase} with {@code {"confirm": clientRef}}. */
  void erase(RoutingContext ctx) {
    String client = clientRef(ctx.pathParam("clientRef"));
    if (!client.equals(AdminApi.body(ctx).getString("confirm"))) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "Erasure cannot be undone: repeat the "
          + "client reference as \"confirm\" in the body");
    }
    String admin = ctx.get(AdminAuth.ADMIN_KEY);
    LOG.info("admin {} erases the personal data of client {}", admin, client);
    ledger.erase(client, "admin-api").onSuccess(entry -> ctx.json(new JsonObject()
        .put("client_ref", client).put("erased", true).put("ledger_position", entry.position())))
        .onFailure(ctx::fail);
  }

  private static void download(RoutingContext ctx, String type, String fileName, String body) {
    ctx.response().putHeader("Content-Type", type)
        .putHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
        .putHeader("Cache-Control", "no-store")
        .end(body);
  }

  private static String clientRef(String value) {
    if (value == null || !ClientRefs.isValid(value)) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "Not a client reference (1-128 letters, "
          + "digits and ._:=-)");
    }
    return value;
  }

  private static String query(RoutingContext ctx, String name) {
    return ctx.queryParam(name).stream().filter(value -> !value.isBlank()).findFirst().orElse(null);
  }

  private static long number(RoutingContext ctx, String name, long fallback, long max) {
    String value = query(ctx, name);
    if (value == null) {
      return fallback;
    }
    try {
      long number = Long.parseLong(value);
      if (number < 0 || number > max) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, name + " must be a whole number from 0 to "
          + max);
    }
  }

  private static Instant date(RoutingContext ctx, String name) {
    String value = query(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(SessionExport.BELGIUM).toInstant()
          : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, name + " \"" + value + "\" is not a date; use "
          + "2026-11-01 or 2026-11-01T08:00:00Z");
    }
  }
}
