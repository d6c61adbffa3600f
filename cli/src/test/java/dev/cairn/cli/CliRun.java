package dev.cairn.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the CLI in this JVM with its exit code, stdout and stderr captured. */
public record CliRun(int exit, String out, String err) {
  /** Runs the CLI with {@code args} and returns what it did. */
  public static synchronized CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream standardOut = System.out;
    PrintStream standardErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.execute(args);
    } finally {
      System.setOut(standardOut);
      System.setErr(standardErr);
    }
    CliRun run = new CliRun(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
    System.out.print(run.out);
    System.err.print(run.err);
    return run;
  }

  /** Runs the CLI, fails the test unless it exits 0, and returns what it printed. */
  public static String output(String... args) {
    CliRun run = of(args);
    if (run.exit != 0) {
      throw new AssertionError("cairn " + String.join(" ", args) + " exited " + run.exit
          + ": " + run.err);
    }
    return run.out;
  }
}
