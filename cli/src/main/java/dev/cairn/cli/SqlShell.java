package dev.cairn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import sqlline.SqlLine;

/**
 * The SQL shell behind {@code cairn sql} and {@code cairn demo}: sqlline on a JDBC URL, either
 * interactive or running one statement ({@code -e}) and printing its result as a table.
 *
 * <p>The driver is looked up through {@link DriverManager} first (drivers register themselves
 * through {@code META-INF/services/java.sql.Driver}), so a URL no driver accepts fails with one
 * clear line before sqlline starts, and sqlline is told the driver's class explicitly. sqlline
 * prints every error of its start-up phase with a stack trace; {@link Quiet} replaces that with
 * the one line a user reads (the driver's message names the error, e.g. FORK) unless
 * {@code --verbose=true} is asked for.
 */
final class SqlShell {
  /** The metadata service the URL defaults to: the port {@code cairn meta} listens on. */
  static final String DEFAULT_URL = "jdbc:cairn://" + dev.cairn.wire.MetaDefault.ADDRESS;
  static final String PROMPT = "cairn> ";
  /** sqlline cuts table rows at its maximum width; a statement's output should never be cut. */
  private static final int STATEMENT_WIDTH_MAX_CHARS = 100_000;

  private SqlShell() {}

  /**
   * Runs {@code statement} on {@code url} and prints its result, or opens the interactive shell
   * when {@code statement} is null. Returns the exit code: 0, or {@link Main#EXIT_FAILED}.
   */
  static int run(String url, String statement) throws IOException {
    Driver driver = driverFor(url);
    List<String> args = new ArrayList<>(List.of(
        "-d", driver.getClass().getName(),
        "-u", url,
        "--connectInteractionMode=notAskCredentials",
        "--outputformat=table",
        // Cairn reads one snapshot per statement: read committed is what it offers.
        "--isolation=TRANSACTION_READ_COMMITTED",
        "--prompt=" + PROMPT));
    Quiet sqlLine = new Quiet();
    SqlLine.Status status;
    if (statement == null) {
      if (System.console() == null) {
        // Not a terminal (input piped in): sqlline would take its width, 0, and cut every row.
        args.add("--maxWidth=" + STATEMENT_WIDTH_MAX_CHARS);
      }
      status = sqlLine.begin(args.toArray(String[]::new), null, true);
    } else {
      args.addAll(List.of("--silent=true", "--maxWidth=" + STATEMENT_WIDTH_MAX_CHARS,
          "-e", statement));
      status = sqlLine.begin(args.toArray(String[]::new), InputStream.nullInputStream(), false);
      if (sqlLine.failed) {
        return Main.EXIT_FAILED;
      }
    }
    return status == SqlLine.Status.OK ? 0 : Main.EXIT_FAILED;
  }

  private static Driver driverFor(String url) {
    try {
      return DriverManager.getDriver(url);
    } catch (SQLException e) {
      throw new IllegalArgumentException("no JDBC driver accepts '" + url
          + "'; Cairn URLs look like jdbc:cairn://HOST:PORT[,HOST:PORT...][/SCHEMA]", e);
    }
  }

  /** sqlline that reports failures in one line and remembers that one happened. */
  static final class Quiet extends SqlLine {
    volatile boolean failed;

    @Override
    public void handleException(Throwable e) {
      failed = true;
      Throwable cause = e;
      while (cause instanceof InvocationTargetException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (getOpts().getVerbose()) {
        super.handleException(cause);
      } else {
        error("Error: " + Failures.describe(cause));
      }
    }
  }
}
