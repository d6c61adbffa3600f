package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code cairn demo} starts a cluster, loads TPC-H, reports where everything is, and runs
 * SQL on it through the jdbc:cairn driver; {@code cairn sql} on a live cluster reports a failing
 * statement by name. Tests that query need the driver and are skipped (not failed) while it is
 * absent from the class path.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void reportsTheClusterTablesAndUrlAndDeletesItsTemporaryDirectory() {
    CliRun run = CliRun.of("demo", "-e", "select 1");
    assertTrue(run.err().contains("published 8 tables as schema tpch"), run.err());
    assertTrue(Pattern.compile("lineitem +60175 rows +version 1").matcher(run.err()).find(),
        run.err());
    assertTrue(run.err().contains("JDBC URL   jdbc:cairn://127.0.0.1:"), run.err());
    assertFalse(run.out().contains("published"), "with -e stdout holds only the result");
    Matcher data = Pattern.compile("data +(\\S+) \\(deleted at exit\\)").matcher(run.err());
    assertTrue(data.find(), run.err());
    assertFalse(Files.exists(Path.of(data.group(1))), "the temporary directory is gone");
    assertEquals(0, run.exit(), run.err());
  }

  @Test
  void countsLineitemRows() {
    CliRun run = CliRun.of("demo", "--dir", dir.toString(), "-e",
        "select count(*) from tpch.lineitem");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("60175"), run.out());
    assertTrue(run.out().startsWith("+"), "a table: " + run.out());
    assertTrue(Files.exists(dir.resolve("tpch-csv").resolve("lineitem.csv")), "--dir is kept");
  }

  @Test
  void failingStatementOnAClusterExitsOneWithTheError() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(3))) {
      CliRun run = CliRun.of("sql", "jdbc:cairn://" + cluster.metaHostPort(), "-e",
          "select bogus");
      assertEquals(Main.EXIT_FAILED, run.exit());
      assertTrue(run.err().startsWith("Error: "), run.err());
      assertTrue(run.err().toLowerCase(Locale.ROOT).contains("bogus"), run.err());
      assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }
  }

  @Test
  void helpExitsZero() {
    CliRun run = CliRun.of("demo", "--help");
    assertEquals(0, run.exit());
    assertTrue(run.out().contains("--scale") && run.out().contains("--dir"), run.out());
  }

  @Test
  void badArgumentsExitWithTwo() {
    assertEquals(Main.EXIT_USAGE, CliRun.of("demo", "--scale", "lots").exit());
    assertEquals(Main.EXIT_USAGE, CliRun.of("demo", "--scale", "-1").exit());
    assertEquals(Main.EXIT_USAGE, CliRun.of("demo", "--scale", "0").exit());
    assertEquals(Main.EXIT_USAGE, CliRun.of("demo", "extra").exit());
    assertEquals(Main.EXIT_USAGE, CliRun.of("demo", "-e").exit());
  }

}
