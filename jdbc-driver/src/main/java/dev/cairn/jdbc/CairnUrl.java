package dev.cairn.jdbc;

import dev.cairn.calcite.runtime.RuntimeConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.HostPort;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A parsed {@code jdbc:cairn://HOST:PORT[,HOST:PORT...][/DEFAULT_SCHEMA][?key=value&...]} URL:
 * the metadata services, the default schema (may be null) and settings. URL parameters
 * override connection properties of the same name. Every key must be one of {@link
 * RuntimeConfig#KEYS} (or {@code user}/{@code password}, which tools always pass and Cairn
 * ignores) and every value must read as its key's kind: anything else is BAD_CONFIG (08001),
 * naming the key and the accepted form, so a typo never silently falls back to a default.
 */
record CairnUrl(List<InetSocketAddress> metaServices, String defaultSchema,
    Properties settings) {
  static final String PREFIX = "jdbc:cairn://";
  /** The port of a metadata service when the URL names none. */
  static final int DEFAULT_META_PORT = 7460; // what `cairn meta` listens on by default
  static final int HOSTS_MAX = 64;
  /** Keys tools pass on their own (DriverManager's user and password): accepted, unused. */
  static final Set<String> IGNORED_KEYS = Set.of("user", "password");
  /** What each key accepts, for error messages (keys not listed: their default and meaning). */
  private static final Map<String, String> FORMS = Map.of(
      RuntimeConfig.CACHE_SIZE, "a size such as 512MiB or 4GiB (units B, KiB, MiB, GiB, TiB,"
          + " KB, MB, GB, TB)",
      RuntimeConfig.CACHE_DIR, "a directory path, or empty for none",
      RuntimeConfig.DUCKDB_THREADS, "a whole number of at least 1",
      RuntimeConfig.DUCKDB_MEMORY_LIMIT, "a size of at least 1MiB such as 2GiB",
      RuntimeConfig.FETCH_PARALLELISM, "a whole number from 1 to "
          + RuntimeConfig.FETCH_PARALLELISM_MAX,
      RuntimeConfig.TIMEOUT, "a duration such as 500ms, 30s or 5m",
      RuntimeConfig.CONNECT_TIMEOUT, "a duration such as 500ms, 10s or 1m",
      RuntimeConfig.HEADS_MAX_AGE, "milliseconds such as 50, or a duration up to 1m such as"
          + " 250ms; 0 turns the window off",
      RuntimeConfig.COLD_OVERLAP, "true or false",
      RuntimeConfig.NODE_KEY, "the path of a node's secret key file (cairn-ed25519-secret-key-v1,"
          + " e.g. the node.key in a 'cairn join' data directory), or empty for none");

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
      for (Map.Entry<Object, Object> e : info.entrySet()) {
        settings.setProperty(checkKey(String.valueOf(e.getKey()), "connection property"),
            String.valueOf(e.getValue()));
      }
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
        settings.setProperty(checkKey(decode(pair.substring(0, eq)), "URL parameter"),
            decode(pair.substring(eq + 1)));
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
    checkValues(settings);
    return new CairnUrl(hosts(rest), schema, settings);
  }

  /** What {@code key} accepts, as error messages and tools' property lists say it. */
  static java.util.Optional<String> form(String key) {
    return java.util.Optional.ofNullable(FORMS.get(key));
  }

  private static String checkKey(String key, String where) throws SQLException {
    if (!RuntimeConfig.KEYS.containsKey(key) && !IGNORED_KEYS.contains(key)) {
      throw badConfig("unknown " + where + " '" + key + "'; Cairn knows "
          + String.join(", ", RuntimeConfig.KEYS.keySet()) + " (see docs/jdbc.md)");
    }
    return key;
  }

  /** Reads each given setting on its own, so a bad value is reported under its own key. */
  private static void checkValues(Properties settings) throws SQLException {
    for (String key : RuntimeConfig.KEYS.keySet()) {
      String value = settings.getProperty(key);
      if (value == null) {
        continue;
      }
      Properties alone = new Properties();
      alone.setProperty(key, value);
      try {
        RuntimeConfig.from(alone);
      } catch (RuntimeException e) {
        String[] known = RuntimeConfig.KEYS.get(key);
        String form = FORMS.getOrDefault(key, known[1] + ", default " + known[0]);
        throw badConfig("property " + key + "='" + value + "' is not accepted (" + e.getMessage()
            + "); " + key + " takes " + form);
      }
    }
  }

  private static SQLException badConfig(String message) {
    return new SQLException("BAD_CONFIG: " + message, "08001");
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
