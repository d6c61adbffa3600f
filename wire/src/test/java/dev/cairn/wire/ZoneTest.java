package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ZoneTest {
  @Test
  void defaultsAreTheNetworkOrOnLoopbackTheDonorItself() {
    assertEquals("192.0.2.0/24", Zone.defaultFor(new HostPort("192.0.2.77", 7470)));
    assertEquals("2001:db8:7::/48", Zone.defaultFor(new HostPort("2001:db8:7:1::5", 7470)));
    assertEquals("127.0.0.1:7471", Zone.defaultFor(new HostPort("127.0.0.1", 7471)));
    assertEquals("[0:0:0:0:0:0:0:1]:7472", Zone.defaultFor(new HostPort("::1", 7472)));
    assertEquals("0.0.0.0:7470", Zone.defaultFor(new HostPort("0.0.0.0", 7470)));
    for (String zone : new String[] {"192.0.2.0/24", "[0:0:0:0:0:0:0:1]:7472"}) {
      assertEquals(zone, Zone.check(zone));
    }
  }

  @Test
  void badZonesAreNamedErrors() {
    for (String bad : new String[] {"", "a b", "zone\u0000", "é", "x".repeat(65)}) {
      CairnException error = assertThrows(CairnException.class, () -> Zone.check(bad));
      assertEquals(ErrorCode.BAD_FORMAT, error.code());
      assertTrue(error.getMessage().contains("zone"), error::getMessage);
    }
    assertEquals("x".repeat(64), Zone.check("x".repeat(64)));
  }
}
