package dev.cairn.calcite.runtime;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of a Cairn connection, read from JDBC URL parameters and connection properties.
 * Every key, its default and its meaning are listed in {@link #KEYS} (the JDBC driver offers
 * them through {@code getPropertyInfo}; docs/jdbc.md describes them).
 *
 * @param cacheBytes bound of the batch cache ({@code cache.size})
 * @param cacheDir directory keeping verified blobs between processes, or null ({@code cache.dir})
 * @param duckdbThreads DuckDB worker threads ({@code duckdb.threads})
 * @param duckdbMemoryBytes DuckDB memory limit ({@code duckdb.memory_limit})
 * @param fetchParallelism batches fetched, decoded and loaded at once ({@code fetch.parallelism})
 * @param callTimeout timeout of each request to a service ({@code timeout})
 * @param connectTimeout timeout of opening a connection to a service ({@code connect.timeout})
 * @param headsMaxAge how long a session keeps table heads between queries ({@code
 *     heads.max-age}; zero: every query asks the metadata services)
 * @param nodeKeyFile the node's secret key file whose identity reads are made under ({@code
 *     node.key}), proved to every donor; null reads anonymously
 * @param coldOverlap whether DuckDB may read a cold table's batches as they arrive ({@code
 *     cold.overlap})
 */
public record RuntimeConfig(long cacheBytes, Path cacheDir, int duckdbThreads,
    long duckdbMemoryBytes, int fetchParallelism, Duration callTimeout,
    Duration connectTimeout, Duration headsMaxAge, Path nodeKeyFile, boolean coldOverlap) {
  public static final String CACHE_SIZE = "cache.size";
  public static final String CACHE_DIR = "cache.dir";
  public static final String DUCKDB_THREADS = "duckdb.threads";
  public static final String DUCKDB_MEMORY_LIMIT = "duckdb.memory_limit";
  public static final String FETCH_PARALLELISM = "fetch.parallelism";
  public static final String TIMEOUT = "timeout";
  public static final String CONNECT_TIMEOUT = "connect.timeout";
  public static final String HEADS_MAX_AGE = "heads.max-age";
  public static final String NODE_KEY = "node.key";
  public static final String COLD_OVERLAP = "cold.overlap";
  /** Longest {@code heads.max-age}: beyond it a reader could miss a writer's new version by minutes. */
  public static final Duration HEADS_MAX_AGE_MAX = Duration.ofMinutes(1);

  /** Most threads DuckDB gets by default: a driver inside someone's app must not take all. */
  public static final int DUCKDB_THREADS_DEFAULT_MAX = 4;
  public static final int FETCH_PARALLELISM_MAX = 256;

  /** Every key with its default (empty: none) and meaning, in documentation order. */
  public static final Map<String, String[]> KEYS = keys();

  public RuntimeConfig {
    if (headsMaxAge.isNegative() || headsMaxAge.compareTo(HEADS_MAX_AGE_MAX) > 0) {
      throw new CairnException(ErrorCode.BAD_CONFIG, "bad Cairn setting: heads.max-age "
          + headsMaxAge.toMillis() + " ms (need 0 to " + HEADS_MAX_AGE_MAX.toMillis()
          + " ms; 0 turns keeping heads off)");
    }
    if (cacheBytes < 1 || duckdbThreads < 1 || duckdbMemoryBytes < (1L << 20)
        || fetchParallelism < 1 || fetchParallelism > FETCH_PARALLELISM_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "bad Cairn settings: cache.size "
          + cacheBytes + ", duckdb.threads " + duckdbThreads + ", duckdb.memory_limit "
          + duckdbMemoryBytes + ", fetch.parallelism " + fetchParallelism
          + " (need positive sizes, at least 1 MiB of DuckDB memory, 1.."
          + FETCH_PARALLELISM_MAX + " fetches)");
    }
  }

  private static Map<String, String[]> keys() {
    Map<String, String[]> k = new LinkedHashMap<>();
    k.put(CACHE_SIZE, new String[] {"1GiB", "bound of the verified batch cache (bytes of"
        + " decoded Arrow data resident in the embedded DuckDB), e.g. 512MiB"});
    k.put(CACHE_DIR, new String[] {"", "directory keeping verified batch blobs between"
        + " processes (re-verified on load); empty: memory only"});
    k.put(DUCKDB_THREADS, new String[] {Integer.toString(defaultThreads()),
        "worker threads of the embedded DuckDB"});
    k.put(DUCKDB_MEMORY_LIMIT, new String[] {"2GiB", "memory limit of the embedded DuckDB"});
    k.put(FETCH_PARALLELISM, new String[] {"8", "batches fetched, decoded and loaded at once"
        + " (also the most blobs a query holds in memory while loading)"});
    k.put(TIMEOUT, new String[] {"30s", "timeout of each request to a metadata service or"
        + " storage node"});
    k.put(CONNECT_TIMEOUT, new String[] {"10s", "timeout of opening a connection to a service"});
    k.put(HEADS_MAX_AGE, new String[] {"50", "milliseconds a connection keeps the table heads"
        + " it read for its next queries (a query may read a version this much older than the"
        + " newest); 0: every query asks the metadata services"});
    k.put(NODE_KEY, new String[] {"", "secret key file of the node whose identity reads are"
        + " made under (cairn join's DATA/node.key), proved to every donor so that donors that"
        + " serve only members or contributors serve this reader; empty: anonymous"});
    k.put(COLD_OVERLAP, new String[] {"true", "whether a cold query whose answer does not"
        + " depend on row order (an aggregate over one table) starts in DuckDB on the first"
        + " verified batches while the rest still arrive; false: it waits for all"});
    return java.util.Collections.unmodifiableMap(k);
  }

  private static int defaultThreads() {
    return Math.max(1, Math.min(DUCKDB_THREADS_DEFAULT_MAX,
        Runtime.getRuntime().availableProcessors()));
  }

  /** Returns the defaults. */
  public static RuntimeConfig defaults() {
    return from(new Properties());
  }

  /** Reads the settings from {@code properties}; unknown keys are ignored here. */
  public static RuntimeConfig from(Properties properties) {
    try {
      String dir = value(properties, CACHE_DIR);
      String key = value(properties, NODE_KEY);
      Path nodeKeyFile = key.isEmpty() ? null : Path.of(key);
      if (nodeKeyFile != null) {
        KeyFiles.readSecretKey(nodeKeyFile); // a missing or damaged key fails at connect
      }
      return new RuntimeConfig(Units.parseSize(value(properties, CACHE_SIZE)),
          dir.isEmpty() ? null : Path.of(dir),
          Integer.parseInt(value(properties, DUCKDB_THREADS)),
          Units.parseSize(value(properties, DUCKDB_MEMORY_LIMIT)),
          Integer.parseInt(value(properties, FETCH_PARALLELISM)),
          Units.parseDuration(value(properties, TIMEOUT)),
          Units.parseDuration(value(properties, CONNECT_TIMEOUT)),
          headsMaxAge(value(properties, HEADS_MAX_AGE)), nodeKeyFile,
          flag(COLD_OVERLAP, value(properties, COLD_OVERLAP)));
    } catch (NumberFormatException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "bad number in Cairn settings: "
          + e.getMessage());
    }
  }

  /** Reads {@code heads.max-age}: plain milliseconds, or a duration such as {@code 250ms}. */
  private static Duration headsMaxAge(String value) {
    try {
      return value.chars().allMatch(Character::isDigit) && !value.isEmpty()
          ? Duration.ofMillis(Long.parseLong(value)) : Units.parseDuration(value);
    } catch (IllegalArgumentException e) {
      throw new CairnException(ErrorCode.BAD_CONFIG, "bad Cairn setting: heads.max-age '"
          + value + "' (milliseconds, e.g. 50, or a duration such as 250ms or 1s)");
    }
  }

  private static boolean flag(String key, String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new CairnException(ErrorCode.BAD_CONFIG, "bad Cairn setting: " + key + " '" + value
        + "' (true or false)");
  }

  private static String value(Properties properties, String key) {
    String v = properties.getProperty(key);
    return (v == null ? KEYS.get(key)[0] : v).trim();
  }

  /** Reads the node key reads are made under, or returns null for an anonymous reader. */
  SigningKey nodeKey() {
    return nodeKeyFile == null ? null : KeyFiles.readSecretKey(nodeKeyFile);
  }

  /** Returns the DuckDB spelling of the memory limit. */
  String duckdbMemoryLimit() {
    return (duckdbMemoryBytes >> 20) + "MiB";
  }

  /**
   * Every setting a runtime (not a session) applies: cache, DuckDB database and connection
   * pool. Connections that differ in any of these never share a runtime; {@code timeout} and
   * {@code fetch.parallelism} apply per session.
   */
  record SharingKey(long cacheBytes, Path cacheDir, int duckdbThreads, long duckdbMemoryBytes,
      Duration connectTimeout, Path nodeKeyFile) { }

  SharingKey sharingKey() {
    return new SharingKey(cacheBytes, cacheDir == null ? null : cacheDir.toAbsolutePath()
        .normalize(), duckdbThreads, duckdbMemoryBytes, connectTimeout,
        nodeKeyFile == null ? null : nodeKeyFile.toAbsolutePath().normalize());
  }
}
