package be.praatbrug.bridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A bridge announces itself and {@code discover} finds it, over real multicast DNS inside this
 * JVM. Loopback is used when its interface carries multicast; otherwise the first up,
 * multicast-capable interface (the host hears its own multicast). Only when the machine has no
 * multicast-capable interface at all is the test skipped, and it says so.
 */
class LanDiscoveryTest {

  @Test
  void anAnnouncedBridgeIsDiscoveredWithItsPages() throws Exception {
    Optional<InetAddress> address = multicastAddress();
    assumeTrue(address.isPresent(), "no network interface here supports multicast (not even lo)");
    LanDiscovery.Bridge announced = new LanDiscovery.Bridge("caw-test-" + ProcessHandle.current().pid(),
        "caw.test", "https://praatbrug.caw.example/binnen/", "https://praatbrug.caw.example/admin/",
        List.of(), 29388);

    try (LanDiscovery announcement = LanDiscovery.announce(address.get(), announced)) {
      List<LanDiscovery.Bridge> found = LanDiscovery.discover(address.get(), Duration.ofSeconds(6));

      LanDiscovery.Bridge bridge = found.stream().filter(b -> b.name().equals(announced.name()))
          .findFirst().orElseThrow(() -> new AssertionError("not discovered on "
              + address.get() + ": " + found));
      assertEquals("caw.test", bridge.serverName());
      assertEquals("https://praatbrug.caw.example/binnen/", bridge.clientPage());
      assertEquals("https://praatbrug.caw.example/admin/", bridge.adminPage());
      assertEquals(29388, bridge.port());
      assertTrue(LanDiscovery.describe(found).stream().anyMatch(line -> line.contains("caw.test")));

      // AND the discover command lists it, as an administrator runs it
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      int exit = be.praatbrug.bridge.main.Main.run(new String[] {"discover", "--seconds", "4",
              "--address", address.get().getHostAddress()}, java.util.Map.of(),
          new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
          new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      String listed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, exit, err.toString(java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(listed.contains(announced.name()) && listed.contains("client page "
          + "https://praatbrug.caw.example/binnen/"), listed);
    }
  }

  private static Optional<InetAddress> multicastAddress() throws SocketException {
    NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    if (loopback != null && loopback.supportsMulticast()) {
      return Optional.of(InetAddress.getLoopbackAddress());
    }
    for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (candidate.isUp() && !candidate.isLoopback() && candidate.supportsMulticast()) {
        Optional<InetAddress> ipv4 = Collections.list(candidate.getInetAddresses()).stream()
            .filter(Inet4Address.class::isInstance).findFirst();
        if (ipv4.isPresent()) {
          return ipv4;
        }
      }
    }
    return Optional.empty();
  }
}
