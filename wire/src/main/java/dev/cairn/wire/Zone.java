package dev.cairn.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A donor's failure domain: the name of what its copies must not share with other copies of
 * the same batch (a building, a power feed, an ISP). Placement puts no two copies of a batch in
 * one zone while enough zones are live ({@link Placement#rankAcrossZones}).
 *
 * <p>A zone is 1 to {@value #BYTES_MAX} characters of {@code a-z A-Z 0-9 . - _ : / [ ]},
 * compared exactly; anything else is BAD_FORMAT naming it (it travels in signed heartbeats and
 * in NODES_RESULT, and is printed by {@code cairn status}). A donor that names none gets
 * {@link #defaultFor}: its IPv4 /24 or IPv6 /48 network, or, on a loopback or wildcard address
 * where every donor is the same host, its own {@code host:port}.
 */
public final class Zone {
  /** Longest zone name, in characters (ASCII, so also bytes). */
  public static final int BYTES_MAX = 64;

  private Zone() {}

  /** Returns {@code zone} when it is a valid zone name, else BAD_FORMAT saying why. */
  public static String check(String zone) {
    if (zone == null || zone.isEmpty()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "zone is empty; name one of 1 to "
          + BYTES_MAX + " characters");
    }
    if (zone.length() > BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "zone is " + zone.length()
          + " characters long; at most " + BYTES_MAX);
    }
    for (int i = 0; i < zone.length(); i++) {
      if (!allowed(zone.charAt(i))) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "zone '" + printable(zone)
            + "' has the character " + describe(zone.charAt(i)) + " at " + i
            + "; use a-z A-Z 0-9 . - _ : / [ ]");
      }
    }
    return zone;
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || ".-_:/[]".indexOf(c) >= 0;
  }

  private static String describe(char c) {
    return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  /** Replaces what cannot be shown safely in a message (a zone may come from the network). */
  private static String printable(String zone) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(zone.length(), BYTES_MAX); i++) {
      char c = zone.charAt(i);
      text.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.toString();
  }

  /**
   * Returns the default zone of a donor advertised at {@code advertised}: {@code a.b.c.0/24}
   * for an IPv4 address, the first 48 bits as {@code x:y:z::/48} for IPv6, and {@code
   * advertised} itself (address and port) for a loopback or wildcard address, where every
   * donor shares the host and only the port tells them apart. A host name is resolved once;
   * one that does not resolve is its own zone.
   */
  public static String defaultFor(HostPort advertised) {
    return safe(defaultName(advertised));
  }

  private static String defaultName(HostPort advertised) {
    InetAddress address;
    try {
      address = InetAddress.getByName(advertised.host());
    } catch (UnknownHostException e) {
      return advertised.host();
    }
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
      return new HostPort(address.getHostAddress(), advertised.port()).toString();
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0/24";
    }
    if (address instanceof Inet6Address) {
      return String.format("%x:%x:%x::/48", word(bytes, 0), word(bytes, 2), word(bytes, 4));
    }
    return advertised.host();
  }

  private static int word(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
  }

  /**
   * Makes a derived name a valid zone: characters outside the set (an IPv6 scope's {@code %})
   * become {@code _}, and a long host name keeps its last characters, which tell hosts apart
   * best.
   */
  private static String safe(String name) {
    String tail = name.length() <= BYTES_MAX ? name : name.substring(name.length() - BYTES_MAX);
    StringBuilder zone = new StringBuilder(tail.length());
    for (int i = 0; i < tail.length(); i++) {
      zone.append(allowed(tail.charAt(i)) ? tail.charAt(i) : '_');
    }
    return zone.length() == 0 ? "_" : zone.toString();
  }
}
