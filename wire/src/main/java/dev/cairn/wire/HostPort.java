package dev.cairn.wire;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;

/**
 * A network address as users, config files and heartbeats write it: {@code host:port}, or
 * {@code [v6 address]:port}. The one parser of addresses; every module reads them here.
 *
 * <p>Rules, each refused as BAD_FORMAT naming the text:
 * <ul>
 *   <li>the host is not empty; an IPv6 address is written in brackets ({@code [::1]:7460}),
 *       since without them {@code 2001:db8::1} cannot be told from a host and a port;
 *   <li>the port is a decimal number, 1 to 65 535 for an address to connect to ({@link
 *       #parse}); an address to listen on ({@link #parseListen}) may also say 0 (any free
 *       port) or leave the port out when there is a default.
 * </ul>
 *
 * @param host a name or an IP address, without brackets
 * @param port 0 to 65 535
 */
public record HostPort(String host, int port) {
  /** The largest TCP port. */
  public static final int PORT_MAX = 65_535;

  /** Checks the parts. */
  public HostPort {
    requireNonNull(host, "host");
    if (host.isEmpty() || port < 0 || port > PORT_MAX) {
      throw new IllegalArgumentException("bad host or port: '" + host + "', " + port);
    }
  }

  /** Parses an address to connect to: the port is required and not 0. */
  public static HostPort parse(String text) {
    return connectable(text, split(text, -1));
  }

  /** Parses an address to connect to whose port, when left out, is {@code defaultPort}. */
  public static HostPort parse(String text, int defaultPort) {
    if (defaultPort < 1 || defaultPort > PORT_MAX) {
      throw new IllegalArgumentException("defaultPort " + defaultPort);
    }
    return connectable(text, split(text, defaultPort));
  }

  private static HostPort connectable(String text, HostPort parsed) {
    if (parsed.port == 0) {
      throw bad(text, "has port 0, which no one can connect to");
    }
    return parsed;
  }

  /** Parses an address to listen on: the port is required, and 0 picks a free one. */
  public static HostPort parseListen(String text) {
    return split(text, -1);
  }

  /**
   * Parses an address to listen on: port 0 picks a free one, and a missing port is {@code
   * defaultPort}.
   */
  public static HostPort parseListen(String text, int defaultPort) {
    if (defaultPort < 0 || defaultPort > PORT_MAX) {
      throw new IllegalArgumentException("defaultPort " + defaultPort);
    }
    return split(text, defaultPort);
  }

  private static HostPort split(String text, int defaultPort) {
    if (text == null || text.isBlank()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "address is missing");
    }
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw bad(text, "opens a bracket it does not close");
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw bad(text, "has '" + rest + "' after the bracketed address, not :port");
      }
      port = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = text.indexOf(':');
      if (colon != text.lastIndexOf(':')) {
        throw bad(text, "has several colons: write an IPv6 address in brackets, as "
            + "[::1]:7460");
      }
      host = colon < 0 ? text : text.substring(0, colon);
      port = colon < 0 ? null : text.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw bad(text, "has no host");
    }
    if (port == null) {
      if (defaultPort < 0) {
        throw bad(text, "is not host:port");
      }
      return new HostPort(host, defaultPort);
    }
    return new HostPort(host, port(text, port));
  }

  private static int port(String text, String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
      throw bad(text, "has no port number after the colon");
    }
    int value = Integer.parseInt(port);
    if (value > PORT_MAX) {
      throw bad(text, "has port " + value + ", above " + PORT_MAX);
    }
    return value;
  }

  private static CairnException bad(String text, String why) {
    return new CairnException(ErrorCode.BAD_FORMAT, "address '" + text + "' " + why);
  }

  /** Returns a socket address, looked up now; unresolved if the name does not resolve. */
  public InetSocketAddress resolve() {
    return new InetSocketAddress(host, port);
  }

  /** Returns a socket address to be looked up when used. */
  public InetSocketAddress unresolved() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** Returns {@code host:port}, with an IPv6 host in brackets, so {@link #parse} reads it. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Returns {@code address} as {@code host:port} for messages and for {@link #parse}. */
  public static String format(InetSocketAddress address) {
    return new HostPort(address.getHostString(), address.getPort()).toString();
  }
}
