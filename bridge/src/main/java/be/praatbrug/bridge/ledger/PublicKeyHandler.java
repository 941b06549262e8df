package be.praatbrug.bridge.ledger;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /_praatbrug/ledger/public-key}: the organisation's ledger public key, for anyone.
 *
 * <p>Public on purpose: it is what lets an inspector or a client check a signed export without
 * trusting the organisation's copy of it. JSON by default; {@code ?format=pem} gives the PEM file
 * that {@code openssl} reads.
 */
public final class PublicKeyHandler implements Handler<RoutingContext> {

  public static final String PATH = "/_praatbrug/ledger/public-key";

  private final OrgPublicKey key;

  public PublicKeyHandler(OrgPublicKey key) {
    this.key = key;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "public, max-age=300");
    if ("pem".equals(ctx.request().getParam("format"))) {
      ctx.response().putHeader("Content-Type", "application/x-pem-file").end(key.pem());
      return;
    }
    ctx.json(LedgerExports.publicKeyJson(key));
  }
}
