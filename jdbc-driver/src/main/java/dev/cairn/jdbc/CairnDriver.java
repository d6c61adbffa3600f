package dev.cairn.jdbc;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.JavaNioAccess;
import dev.cairn.calcite.runtime.RuntimeConfig;
import dev.cairn.wire.CairnException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code jdbc:cairn:} driver. URL: {@code
 * jdbc:cairn://HOST:PORT[,HOST:PORT...][/DEFAULT_SCHEMA][?key=value&...]}, where the hosts are
 * metadata services (several: the newest valid head across them wins) and the keys are those of
 * {@link RuntimeConfig#KEYS} (also accepted as connection properties). Registered with
 * {@link DriverManager} when loaded, and listed in {@code META-INF/services/java.sql.Driver}.
 */
public final class CairnDriver implements Driver {
  public static final int MAJOR_VERSION = 0;
  public static final int MINOR_VERSION = 1;
  public static final String NAME = "Cairn JDBC driver";
  public static final String VERSION = "0.1.0";

  /**
   * The shaded libraries' logs (Arrow, Calcite through SLF4J to java.util.logging): warnings
   * only unless configured, so a tool's console does not fill with Arrow's start-up notes.
   */
  private static final Logger SHADED_LOGS = Logger.getLogger("dev.cairn.shaded");

  static {
    if (SHADED_LOGS.getLevel() == null) {
      SHADED_LOGS.setLevel(Level.WARNING);
    }
    JavaNioAccess.open(); // before anything initialises Arrow
    try {
      DriverManager.registerDriver(new CairnDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    CairnUrl parsed = CairnUrl.parse(url, info);
    CairnSession session;
    try {
      JavaNioAccess.check();
      RuntimeConfig config = RuntimeConfig.from(parsed.settings());
      session = CairnSession.open(parsed.metaServices(), parsed.defaultSchema(), config);
    } catch (CairnException e) {
      throw Errors.of(e);
    }
    return ConnectCheck.checked(url, session, parsed.defaultSchema());
  }

  @Override
  public boolean acceptsURL(String url) {
    return CairnUrl.accepts(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    Properties given = new Properties();
    try {
      given = acceptsURL(url) ? CairnUrl.parse(url, info).settings() : given;
    } catch (SQLException e) {
      // A tool asks while the user is still typing the URL: offer the defaults.
    }
    List<DriverPropertyInfo> out = new ArrayList<>();
    for (Map.Entry<String, String[]> key : RuntimeConfig.KEYS.entrySet()) {
      DriverPropertyInfo p = new DriverPropertyInfo(key.getKey(),
          given.getProperty(key.getKey(), key.getValue()[0]));
      p.description = key.getValue()[1] + " (default: "
          + (key.getValue()[0].isEmpty() ? "none" : key.getValue()[0])
          + CairnUrl.form(key.getKey()).map(f -> "; takes " + f).orElse("") + ")";
      p.required = false;
      out.add(p);
    }
    return out.toArray(new DriverPropertyInfo[0]);
  }

  @Override
  public int getMajorVersion() {
    return MAJOR_VERSION;
  }

  @Override
  public int getMinorVersion() {
    return MINOR_VERSION;
  }

  /** Not fully JDBC compliant: read-only, no transactions, no full SQL-92 DDL. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return Logger.getLogger("dev.cairn");
  }
}
