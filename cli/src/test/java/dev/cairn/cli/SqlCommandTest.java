package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Goal: {@code cairn sql -e} prints a statement's result as a table on stdout and exits 0, and a
 * failing statement exits 1 with the driver's message in one line on stderr (no stack trace).
 * The sqlline plumbing is driver-independent, so it is tested here on H2's in-memory database;
 * the same runs on the jdbc:cairn driver are in {@link DemoCommandTest}.
 */
class SqlCommandTest {
  private static final String H2_URL = "jdbc:h2:mem:cairn_sql_test";

  @Test
  void statementPrintsItsResultAsATable() {
    CliRun run = CliRun.of("sql", H2_URL, "-e", "select 41 + 1 as answer, 'cairn' as name");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("| ANSWER | NAME  |"), run.out());
    assertTrue(run.out().contains("| 42     | cairn |"), run.out());
    assertTrue(run.out().startsWith("+--------+-------+"), "table borders: " + run.out());
    assertEquals("", run.err());
  }

  @Test
  void failingStatementExitsOneWithOneLineOnStderr() {
    CliRun run = CliRun.of("sql", H2_URL, "-e", "select bogus");
    assertEquals(Main.EXIT_FAILED, run.exit());
    assertTrue(run.err().contains("Error: ") && run.err().contains("BOGUS"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
  }

  @Test
  void urlWithoutADriverFailsClearly() {
    CliRun run = CliRun.of("sql", "jdbc:nosuchdriver://x", "-e", "select 1");
    assertEquals(Main.EXIT_FAILED, run.exit());
    assertTrue(run.err().contains("no JDBC driver accepts 'jdbc:nosuchdriver://x'"), run.err());
  }

  @Test
  void badArgumentsExitWithTwo() {
    assertEquals(Main.EXIT_USAGE, CliRun.of("sql", "127.0.0.1:7460").exit());
    assertEquals(Main.EXIT_USAGE, CliRun.of("sql", "-e").exit());
    assertEquals(Main.EXIT_USAGE, CliRun.of("sql", "--bogus").exit());
    assertEquals(Main.EXIT_USAGE, CliRun.of("sql", "jdbc:a", "jdbc:b").exit());
  }

  @Test
  void helpExitsZeroAndNamesTheCommands() {
    CliRun sql = CliRun.of("sql", "--help");
    assertEquals(0, sql.exit());
    assertTrue(sql.out().contains("jdbc:cairn://127.0.0.1:7460"), sql.out());
    CliRun main = CliRun.of("--help");
    assertEquals(0, main.exit());
    assertTrue(main.out().contains("sql") && main.out().contains("demo"), main.out());
  }
}
