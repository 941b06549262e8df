package be.praatbrug.bridge.appservice;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through only if it carries {@code Authorization: Bearer <hs_token>}.
 *
 * <p>The comparison is constant-time over SHA-256 digests, so neither the content nor the length of
 * the token leaks through response timing. Tokens in query strings are not accepted: they end up in
 * access logs.
 */
final class HomeserverTokenAuth implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";

  private final byte[] expectedDigest;

  HomeserverTokenAuth(String hsToken) {
    this.expectedDigest = sha256(hsToken);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      ctx.fail(new MatrixException(ErrCode.M_UNAUTHORIZED,
          "Missing Authorization: Bearer <hs_token> header"));
      return;
    }
    byte[] presented = sha256(header.substring(BEARER.length()).strip());
    if (!MessageDigest.isEqual(expectedDigest, presented)) {
      ctx.fail(new MatrixException(ErrCode.M_FORBIDDEN, "Invalid homeserver token"));
      return;
    }
    ctx.next();
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
