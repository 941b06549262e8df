package be.praatbrug.bridge.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LAN discovery (DNS-SD over multicast DNS, {@code _praatbrug._tcp}): a bridge can announce its
 * server name and the URLs of its client page and admin page, so an organisation's IT staff find
 * it on the office network without a directory. Off by default ({@code discovery.announce}); the
 * announcement holds only what the public pages show anyway, never a token or a user.
 *
 * <p>Blocking (jmDNS probes the network for a few seconds): call from a worker thread.
 */
public final class LanDiscovery implements AutoCloseable {

  public static final String SERVICE_TYPE = "_praatbrug._tcp.local.";
  private static final Logger LOG = LoggerFactory.getLogger(LanDiscovery.class);

  /** What one bridge announces. */
  public record Bridge(String name, String serverName, String clientPage, String adminPage,
      List<String> addresses, int port) {

    String describe() {
      return name + "  server " + serverName + "  client page " + clientPage + "  admin page "
          + adminPage + "  at " + String.join(", ", addresses) + ":" + port;
    }
  }

  private final JmDNS jmdns;

  private LanDiscovery(JmDNS jmdns) {
    this.jmdns = jmdns;
  }

  /**
   * Announces {@code bridge} on the network of {@code address} ({@code null}: the host's own
   * address) until {@link #close}.
   */
  public static LanDiscovery announce(InetAddress address, Bridge bridge) throws IOException {
    JmDNS jmdns = address == null ? JmDNS.create() : JmDNS.create(address, bridge.name());
    Map<String, String> text = new LinkedHashMap<>();
    text.put("server", bridge.serverName());
    text.put("client", bridge.clientPage());
    text.put("admin", bridge.adminPage());
    text.put("txtvers", "1");
    jmdns.registerService(ServiceInfo.create(SERVICE_TYPE, bridge.name(), bridge.port(), 0, 0, text));
    LOG.info("announcing {} on the LAN as {} ({})", bridge.serverName(), bridge.name(), SERVICE_TYPE);
    return new LanDiscovery(jmdns);
  }

  /** The Praatbrug bridges that answer within {@code wait} on the network of {@code address}. */
  public static List<Bridge> discover(InetAddress address, Duration wait) throws IOException {
    try (JmDNS jmdns = address == null ? JmDNS.create() : JmDNS.create(address, "praatbrug-discover")) {
      List<Bridge> found = new ArrayList<>();
      for (ServiceInfo info : jmdns.list(SERVICE_TYPE, wait.toMillis())) {
        found.add(new Bridge(info.getName(), info.getPropertyString("server"),
            info.getPropertyString("client"), info.getPropertyString("admin"),
            Arrays.stream(info.getInetAddresses()).map(InetAddress::getHostAddress).toList(),
            info.getPort()));
      }
      return found;
    }
  }

  /** Lines for the {@code discover} command. */
  public static List<String> describe(List<Bridge> bridges) {
    return bridges.stream().map(Bridge::describe).toList();
  }

  @Override
  public void close() {
    try {
      jmdns.unregisterAllServices();
      jmdns.close();
    } catch (IOException e) {
      LOG.debug("closing the LAN announcement: {}", e.toString());
    }
  }
}
