package dev.cairn.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.runtime.CairnRuntime;
import dev.cairn.calcite.runtime.JavaNioAccess;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.RuntimeConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Units;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A Cairn data source an application owns: it configures it (a {@code jdbc:cairn:} URL naming
 * the metadata services and default schema, and setters mirroring the URL properties), takes
 * connections from it, and {@link #close}s it, which frees everything it holds: the embedded
 * DuckDB database and its cached batches, Arrow's direct memory, the load and timer threads and
 * the sockets to services and donors. Its connections never share a runtime with {@code
 * DriverManager} connections or another data source.
 *
 * <p>The settings are fixed by the first {@link #getConnection}; a setter called later throws
 * IllegalStateException. A property given both in the URL and by a setter must have one value.
 */
public final class CairnDataSource implements DataSource, AutoCloseable {
  private String url;
  private final Properties settings = new Properties();
  private CairnUrl parsed; // set with runtime
  private RuntimeConfig config;
  private CairnRuntime runtime;
  private boolean closed;

  static {
    JavaNioAccess.open(); // before anything initialises Arrow, as CairnDriver does
  }

  /** Sets the {@code jdbc:cairn://HOST:PORT[,...][/SCHEMA][?key=value&...]} URL to connect to. */
  public synchronized void setUrl(String url) {
    checkConfigurable();
    this.url = requireNonNull(url, "url");
  }

  public synchronized String getUrl() {
    return url;
  }

  /**
   * Sets one of the properties of the driver ({@link RuntimeConfig#KEYS}, described in
   * docs/jdbc.md) for every connection of this data source; null removes it.
   */
  public synchronized void setProperty(String key, String value) {
    checkConfigurable();
    if (!RuntimeConfig.KEYS.containsKey(requireNonNull(key, "key"))) {
      throw new IllegalArgumentException("unknown Cairn property '" + key + "'; known: "
          + RuntimeConfig.KEYS.keySet());
    }
    if (value == null) {
      settings.remove(key);
    } else {
      settings.setProperty(key, value);
    }
  }

  /** Returns a property set on this data source (not its URL), or null. */
  public synchronized String getProperty(String key) {
    return settings.getProperty(key);
  }

  /** Sets {@code cache.size}, e.g. {@code 4GiB}. */
  public void setCacheSize(String size) {
    setProperty(RuntimeConfig.CACHE_SIZE, size);
  }

  /** Sets {@code cache.dir}, the directory keeping verified batches and seen heads. */
  public void setCacheDir(String directory) {
    setProperty(RuntimeConfig.CACHE_DIR, directory);
  }

  /** Sets {@code duckdb.threads}. */
  public void setDuckdbThreads(int threads) {
    setProperty(RuntimeConfig.DUCKDB_THREADS, Integer.toString(threads));
  }

  /** Sets {@code duckdb.memory_limit}, e.g. {@code 8GiB}. */
  public void setDuckdbMemoryLimit(String limit) {
    setProperty(RuntimeConfig.DUCKDB_MEMORY_LIMIT, limit);
  }

  /** Sets {@code fetch.parallelism}. */
  public void setFetchParallelism(int batches) {
    setProperty(RuntimeConfig.FETCH_PARALLELISM, Integer.toString(batches));
  }

  /** Sets {@code timeout}, each request's timeout, e.g. {@code 30s}. */
  public void setTimeout(String timeout) {
    setProperty(RuntimeConfig.TIMEOUT, timeout);
  }

  /** Sets {@code connect.timeout}, e.g. {@code 10s}. */
  public void setConnectTimeout(String timeout) {
    setProperty(RuntimeConfig.CONNECT_TIMEOUT, timeout);
  }

  /** Sets {@code heads.max-age}, how long a connection keeps heads, e.g. {@code 50ms}; 0: off. */
  public void setHeadsMaxAge(String maxAge) {
    setProperty(RuntimeConfig.HEADS_MAX_AGE, maxAge);
  }

  /**
   * Sets {@code cold.overlap}: whether a cold aggregate over one table reads its batches as
   * they arrive.
   */
  public void setColdOverlap(boolean overlap) {
    setProperty(RuntimeConfig.COLD_OVERLAP, Boolean.toString(overlap));
  }

  private void checkConfigurable() {
    if (runtime != null || closed) {
      throw new IllegalStateException("a CairnDataSource is configured before its first"
          + " connection; its settings are now fixed");
    }
  }

  /** Returns a new connection, starting this data source's runtime on the first call. */
  @Override
  public Connection getConnection() throws SQLException {
    CairnRuntime ours;
    synchronized (this) {
      if (closed) {
        throw Errors.closed("data source");
      }
      if (runtime == null) {
        start();
      }
      ours = runtime;
    }
    CairnSession session;
    try {
      session = CairnSession.open(ours, parsed.metaServices(), parsed.defaultSchema(), config);
    } catch (CairnException e) {
      throw Errors.of(e);
    }
    return ConnectCheck.checked(url, session, parsed.defaultSchema());
  }

  private void start() throws SQLException {
    if (url == null) {
      throw new SQLException("BAD_CONFIG: set the URL of a CairnDataSource (setUrl) before"
          + " taking connections", "08001");
    }
    Properties fromUrl = CairnUrl.parse(url, null).settings();
    for (String key : settings.stringPropertyNames()) {
      String inUrl = fromUrl.getProperty(key);
      if (inUrl != null && !inUrl.equals(settings.getProperty(key))) {
        throw Errors.of(new CairnException(ErrorCode.BAD_CONFIG, "property " + key
            + " is " + inUrl + " in the URL and " + settings.getProperty(key)
            + " on the data source: give it once"));
      }
    }
    CairnUrl withSettings = CairnUrl.parse(url, settings);
    try {
      JavaNioAccess.check();
      RuntimeConfig c = RuntimeConfig.from(withSettings.settings());
      runtime = CairnRuntime.create(c);
      config = c;
      parsed = withSettings;
    } catch (CairnException e) {
      throw Errors.of(e);
    }
  }

  /** Cairn has no users: connections only read signed data. Only null or empty is accepted. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    if ((username != null && !username.isEmpty()) || (password != null && !password.isEmpty())) {
      throw new SQLFeatureNotSupportedException("Cairn has no users or passwords: what a"
          + " connection reads is signed by its writers", "0A000");
    }
    return getConnection();
  }

  /**
   * Closes every connection of this data source (cancelling what they run) and frees its
   * runtime: DuckDB, direct memory, threads and sockets. Idempotent; no connection can be
   * taken afterwards.
   */
  @Override
  public void close() {
    CairnRuntime toClose;
    synchronized (this) {
      closed = true;
      toClose = runtime;
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  /** Returns true once {@link #close} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Not supported: the driver logs through java.util.logging (logger {@code dev.cairn}). */
  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    if (out != null) {
      throw new SQLFeatureNotSupportedException("a log writer: the driver logs through"
          + " java.util.logging (logger dev.cairn)", "0A000");
    }
  }

  /** Sets {@code connect.timeout} in whole seconds (0: the default). */
  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    if (seconds < 0) {
      throw new SQLException("login timeout must not be negative", "22023");
    }
    setConnectTimeout(seconds == 0 ? null : seconds + "s");
  }

  /** Returns {@code connect.timeout} in whole seconds if set on this data source, else 0. */
  @Override
  public synchronized int getLoginTimeout() {
    String value = settings.getProperty(RuntimeConfig.CONNECT_TIMEOUT);
    return value == null ? 0
        : (int) Math.min(Integer.MAX_VALUE, Units.parseDuration(value).toSeconds());
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger("dev.cairn");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return Wrappers.unwrap(iface, this);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return Wrappers.isWrapperFor(iface, this);
  }
}
