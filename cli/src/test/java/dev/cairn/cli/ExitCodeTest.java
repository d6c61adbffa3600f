package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Goal: bad arguments exit 2 as the README promises, also where picocli would let them by. */
class ExitCodeTest {
  @Test
  void anUnknownCommandWithHelpExitsTwo() {
    CliRun run = CliRun.of("foo", "--help");
    assertEquals(Main.EXIT_USAGE, run.exit());
    assertTrue(run.err().contains("'foo'"), run.err());
    assertEquals(Main.EXIT_USAGE, CliRun.of("demo", "bar", "--help").exit());
    assertEquals(0, CliRun.of("--help").exit());
    assertEquals(0, CliRun.of("publish", "--help").exit());
  }

  @Test
  void replicasOutsideOneToSixteenExitTwo() {
    for (String replicas : new String[] {"0", "17", "-1"}) {
      CliRun run = CliRun.of("publish", "--meta", "127.0.0.1:1", "--key", "no-such.key",
          "--table", "a.b", "--replicas", replicas, "no-such.csv");
      assertEquals(Main.EXIT_USAGE, run.exit(), "--replicas " + replicas);
      assertTrue(run.err().contains("--replicas must be 1 to 16"), run.err());
    }
  }
}
