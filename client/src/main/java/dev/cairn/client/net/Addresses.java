package dev.cairn.client.net;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.net.InetSocketAddress;

/** Parses {@code host:port} and {@code [v6]:port} addresses as nodes and users write them. */
public final class Addresses {
  private static final int PORT_MAX = 65_535;

  private Addresses() {}

  /** Returns an unresolved-if-needed socket address, or throws BAD_FORMAT naming the text. */
  public static InetSocketAddress parse(String text) {
    if (text == null) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "address is missing");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "address '" + text + "' is not host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "address '" + text + "' has a bad port");
    }
    if (port < 1 || port > PORT_MAX || host.isEmpty()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "address '" + text + "' is not host:port");
    }
    return new InetSocketAddress(host, port);
  }

  /** Returns {@code host:port} for logs and messages. */
  public static String format(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
