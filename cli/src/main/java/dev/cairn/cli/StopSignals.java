package dev.cairn.cli;

import java.util.List;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Makes SIGTERM (systemd's stop, {@code kill}) and SIGINT (Ctrl-C) a clean stop that exits 0.
 *
 * <p>The JVM's default for SIGTERM runs shutdown hooks and exits with 143, and
 * java.util.logging's own hook may close the handlers before a server's last line is written.
 * Handling the signals here instead runs {@code stop} (which finishes requests in flight and
 * logs the one shutdown line) while logging still works; the command then returns 0 as after
 * any other clean stop. Where the JVM cannot take the signals (run with {@code -Xrs}), the
 * servers' shutdown hooks still stop them, with the JVM's exit code.
 */
final class StopSignals {
  private static final Logger LOG = Logger.getLogger(StopSignals.class.getName());
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private StopSignals() {}

  /** Runs {@code stop} on SIGTERM or SIGINT, in the thread the JVM starts for the signal. */
  static void onStop(Runnable stop) {
    for (String name : SIGNALS) {
      try {
        Signal.handle(new Signal(name), signal -> stop.run());
      } catch (IllegalArgumentException e) {
        LOG.fine("cannot handle SIG" + name + " (" + e.getMessage() + "); the shutdown hook "
            + "stops the server instead");
      }
    }
  }
}
