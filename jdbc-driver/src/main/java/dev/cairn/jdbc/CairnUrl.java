package dev.cairn.jdbc;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.HostPort;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A parsed {@code jdbc:cairn://HOST:PORT[,HOST:PORT...][/DEFAULT_SCHEMA][?key=value&...]} URL:
 * the metadata services, the default schema (may be null) and settings. URL parameters
 * override connection properties of the same name.
 */
record CairnUrl(List<InetSocketAddress> metaServices, String defaultSchema,
    Properties settings) {
  static final String PREFIX = "jdbc:cairn://";
  /** The port of a metadata service when the URL names none. */
  static final int DEFAULT_META_PORT = 7460; // what `cairn meta` listens on by default
  static final int HOSTS_MAX = 64;

  static boolean accepts(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /** Parses {@code url}, merging {@code info} under its parameters; throws SQLState 08001. */
  static CairnUrl parse(String url, Properties info) throws java.sql.SQLException {
    if (!accepts(url)) {
      throw new java.sql.SQLException("BAD_FORMAT: not a Cairn URL (" + PREFIX
          + "HOST:PORT[,HOST:PORT...][/SCHEMA][?key=value&...]): " + url, "08001");
    }
    String rest = url.substring(PREFIX.length());
    Properties settings = new Properties();
    if (info != null) {
      info.forEach((k, v) -> settings.setProperty(String.valueOf(k), String.valueOf(v)));
    }
    int query = rest.indexOf('?');
    if (query >= 0) {
      for (String pair : rest.substring(query + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new java.sql.SQLException("BAD_FORMAT: URL parameter '" + pair
              + "' is not key=value", "08001");
        }
        settings.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
      rest = rest.substring(0, query);
    }
    String schema = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      schema = decode(rest.substring(slash + 1));
      schema = schema.isEmpty() ? null : schema;
      rest = rest.substring(0, slash);
    }
    return new CairnUrl(hosts(rest), schema, settings);
  }

  private static List<InetSocketAddress> hosts(String text) throws java.sql.SQLException {
    String[] parts = text.split(",");
    if (text.isEmpty() || parts.length > HOSTS_MAX) {
      throw new java.sql.SQLException("BAD_FORMAT: a Cairn URL names 1 to " + HOSTS_MAX
          + " metadata services as HOST:PORT", "08001");
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (String part : parts) {
      try {
        out.add(HostPort.parse(part.trim(), DEFAULT_META_PORT).resolve());
      } catch (CairnException e) {
        throw new java.sql.SQLException(e.getMessage(), "08001", e);
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
