package be.praatbrug.bridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

  @Test
  void anIpv6ClientIsCountedPerSlash64() {
    assertEquals("2001:0db8:0000:0001::/64", ClientAddress.limitKey("2001:db8:0:1::5"));
    assertEquals(ClientAddress.limitKey("2001:db8:0:1:aaaa:bbbb:cccc:dddd"),
        ClientAddress.limitKey("[2001:db8:0:1::ffff]"));
    assertNotEquals(ClientAddress.limitKey("2001:db8:0:1::5"), ClientAddress.limitKey("2001:db8:0:2::5"));
  }

  @Test
  void anIpv4ClientIsCountedPerAddressAlsoWhenMappedIntoIpv6() {
    assertEquals("198.51.100.7", ClientAddress.limitKey("198.51.100.7"));
    assertEquals("198.51.100.7", ClientAddress.limitKey("::ffff:198.51.100.7"));
    assertNotEquals(ClientAddress.limitKey("198.51.100.7"), ClientAddress.limitKey("198.51.100.8"));
  }

  @Test
  void whatIsNotAnAddressIsCountedAsWrittenAndNeverLookedUp() {
    assertEquals("unknown", ClientAddress.limitKey("unknown"));
    assertEquals("dead.beef", ClientAddress.limitKey("dead.beef"));
    assertEquals("example.org", ClientAddress.limitKey("example.org"));
  }
}
