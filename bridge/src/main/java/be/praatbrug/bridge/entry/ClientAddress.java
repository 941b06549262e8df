package be.praatbrug.bridge.entry;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * The client's IP address for rate limits: the connection's peer, or, when that peer is a trusted
 * reverse proxy, the last address the proxy appended to {@code X-Forwarded-For}. Earlier entries of
 * that header come from the client itself and prove nothing.
 */
public final class ClientAddress {

  private final Set<String> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  public String of(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? "unknown"
        : ctx.request().remoteAddress().hostAddress();
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    String last = hops[hops.length - 1].strip();
    return last.isEmpty() ? peer : last;
  }
}
