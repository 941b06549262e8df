package be.praatbrug.bridge.web;

import io.vertx.ext.web.RoutingContext;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is asking, for rate limits: the connection's peer or, when that peer is a trusted reverse
 * proxy, the last address the proxy appended to {@code X-Forwarded-For} (earlier entries come from
 * the client itself and prove nothing).
 *
 * <p>Limits are kept per {@link #limitKey}: an IPv4 address, or an IPv6 address's /64, because one
 * household or phone gets a whole /64 and picks new addresses in it at will.
 */
public final class ClientAddress {

  /** Only literals are parsed: a name must never cause a DNS lookup. */
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9]+)?");

  private final Set<String> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  /** The client's address as text, as the request shows it. */
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

  /** The key this request's attempts are counted under: {@link #limitKey} of {@link #of}. */
  public String limitKeyOf(RoutingContext ctx) {
    return limitKey(of(ctx));
  }

  /**
   * An IPv4 address as is; an IPv6 address as its /64 ({@code 2001:db8:0:1::/64}); an IPv4 address
   * mapped into IPv6 as the IPv4 address. Anything that is not an address literal stays as given.
   */
  public static String limitKey(String address) {
    String bare = address.strip();
    if (bare.startsWith("[") && bare.contains("]")) {
      bare = bare.substring(1, bare.indexOf(']'));
    }
    if (!IPV4.matcher(bare).matches() && !IPV6.matcher(bare).matches()) {
      return address;
    }
    try {
      InetAddress parsed = InetAddress.getByName(bare);
      if (parsed instanceof Inet4Address) {
        return parsed.getHostAddress();
      }
      if (parsed instanceof Inet6Address) {
        byte[] bytes = parsed.getAddress();
        return HexFormat.of().formatHex(bytes, 0, 8).replaceAll("(.{4})(?!$)", "$1:") + "::/64";
      }
    } catch (UnknownHostException notALiteral) {
      // falls through: counted under the text itself
    }
    return address;
  }
}
