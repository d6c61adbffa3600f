package dev.cairn.cli;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Makes SIGTERM (systemd's stop, {@code kill}) and SIGINT (Ctrl-C) a clean stop that exits 0.
 *
 * <p>The JVM's default for SIGTERM runs shutdown hooks and exits with 143, and
 * java.util.logging's own hook may close the handlers before a server's last line is written.
 * Handling the signals here instead runs the server's stop (which finishes requests in flight
 * and logs the one shutdown line) while logging still works; the command then returns 0 as
 * after any other clean stop. {@link #install} comes before the server starts, so a signal
 * during start-up is kept and stops the server as soon as it is up. Where the JVM cannot take
 * the signals (run with {@code -Xrs}), the servers' shutdown hooks still stop them, with the
 * JVM's exit code.
 */
final class StopSignals {
  private static final Logger LOG = Logger.getLogger(StopSignals.class.getName());
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private final CompletableFuture<String> requested = new CompletableFuture<>();

  private StopSignals() {}

  /** Takes SIGTERM and SIGINT from now on; each only records that a stop was asked for. */
  static StopSignals install() {
    StopSignals signals = new StopSignals();
    for (String name : SIGNALS) {
      try {
        Signal.handle(new Signal(name), signal -> signals.requested.complete(name));
      } catch (IllegalArgumentException e) {
        LOG.fine("cannot handle SIG" + name + " (" + e.getMessage() + "); the shutdown hook "
            + "stops the server instead");
      }
    }
    return signals;
  }

  /**
   * Runs {@code stop} when a signal comes, in the thread the JVM starts for it, or now, in this
   * thread, if one came already.
   */
  void onStop(Runnable stop) {
    requested.thenRun(stop);
  }
}
