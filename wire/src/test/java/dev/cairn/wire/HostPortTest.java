package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The one address parser: what it reads, and each thing it refuses with its reason. */
class HostPortTest {
  @Test
  void namesIpv4AndBracketedIpv6AreRead() {
    assertEquals(new HostPort("donor.example.org", 7470), HostPort.parse("donor.example.org:7470"));
    assertEquals(new HostPort("10.0.0.7", 1), HostPort.parse("10.0.0.7:1"));
    assertEquals(new HostPort("::1", 65_535), HostPort.parse("[::1]:65535"));
    assertEquals(new HostPort("2001:db8::7", 7460), HostPort.parse("[2001:db8::7]:7460"));
  }

  @Test
  void formattingBracketsIpv6SoTheTextParsesBack() {
    for (String text : new String[] {"a.example:9", "[::1]:7460", "127.0.0.1:80"}) {
      assertEquals(text, HostPort.parse(text).toString());
    }
    assertEquals("[0:0:0:0:0:0:0:1]:7460",
        HostPort.format(new InetSocketAddress("0:0:0:0:0:0:0:1", 7460)));
    InetSocketAddress resolved = HostPort.parse("127.0.0.1:7460").resolve();
    assertEquals(7460, resolved.getPort());
    assertTrue(HostPort.parse("a.example:9").unresolved().isUnresolved());
  }

  @Test
  void listenAddressesMayUsePortZeroOrTheDefault() {
    assertEquals(new HostPort("0.0.0.0", 0), HostPort.parseListen("0.0.0.0:0", 7470));
    assertEquals(new HostPort("127.0.0.1", 7470), HostPort.parseListen("127.0.0.1", 7470));
    assertEquals(new HostPort("::", 7470), HostPort.parseListen("[::]", 7470));
    assertEquals(new HostPort("::", 9), HostPort.parseListen("[::]:9", 7470));
    assertEquals(new HostPort("::1", 7460), HostPort.parse("[::1]", 7460));
    assertEquals(new HostPort("meta", 7460), HostPort.parse("meta", 7460));
    assertEquals(ErrorCode.BAD_FORMAT,
        assertThrows(CairnException.class, () -> HostPort.parse("meta:0", 7460)).code());
  }

  @Test
  void eachBadAddressIsBadFormatNamingWhy() {
    String[][] cases = {
        {"", "missing"},
        {"   ", "missing"},
        {"host", "is not host:port"},
        {":7460", "has no host"},
        {"[]:7460", "has no host"},
        {"host:", "no port number"},
        {"host:x1", "no port number"},
        {"host:-1", "no port number"},
        {"host:65536", "above 65535"},
        {"host:0", "port 0"},
        {"::1:7460", "in brackets"},
        {"2001:db8::1", "in brackets"},
        {"[::1", "does not close"},
        {"[::1]7460", "not :port"},
        {"host:7460:1", "in brackets"},
    };
    for (String[] c : cases) {
      CairnException e = assertThrows(CairnException.class, () -> HostPort.parse(c[0]), c[0]);
      assertEquals(ErrorCode.BAD_FORMAT, e.code(), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " gave " + e.getMessage());
    }
    assertEquals(ErrorCode.BAD_FORMAT,
        assertThrows(CairnException.class, () -> HostPort.parse(null)).code());
  }
}
