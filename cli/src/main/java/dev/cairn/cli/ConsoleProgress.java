package dev.cairn.cli;

import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.Publisher;
import dev.cairn.client.publish.PublishResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows {@code cairn publish} progress. On a terminal: one line redrawn with {@code \r} at
 * most {@link #REDRAW_INTERVAL_MS} apart (rows, MB read, MB/s, ETA when the input size is
 * known, batches). Otherwise (a log file, CI): a plain line every {@link #LOG_INTERVAL_MS}.
 */
final class ConsoleProgress implements ProgressListener {
  static final long REDRAW_INTERVAL_MS = 200;
  static final long LOG_INTERVAL_MS = 5000;
  private static final double MIB = 1024.0 * 1024.0;
  private static final long NANOS_PER_MS = 1_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final long intervalNanos;
  private long startNanos;
  private long lastDrawNanos;
  private long totalInputBytes = -1;
  private long rows;
  private long inputBytes;
  private long uploadedBytes;
  private int batches;

  /** Writes to {@code out}; {@code terminal} chooses the redrawn line over log lines. */
  ConsoleProgress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.intervalNanos = (terminal ? REDRAW_INTERVAL_MS : LOG_INTERVAL_MS) * NANOS_PER_MS;
  }

  /** Writes to standard error, redrawing when a console is attached. */
  static ConsoleProgress forConsole() {
    return new ConsoleProgress(System.err, System.console() != null);
  }

  @Override
  public synchronized void started(long total) {
    totalInputBytes = total;
    startNanos = System.nanoTime();
    lastDrawNanos = startNanos;
  }

  @Override
  public synchronized void waitingForNodes(int found, int needed) {
    out.println("waiting up to " + Publisher.LIVE_NODES_WAIT.toSeconds() + " s for " + needed
        + " live storage nodes; the metadata services list " + found);
  }

  @Override
  public synchronized void rowsRead(long rowsSoFar, long inputBytesSoFar) {
    rows = rowsSoFar;
    inputBytes = inputBytesSoFar;
    maybeDraw();
  }

  @Override
  public synchronized void bytesUploaded(long bytes) {
    uploadedBytes += bytes;
    maybeDraw();
  }

  @Override
  public synchronized void batchConfirmed(int batchesSoFar) {
    batches = batchesSoFar;
    maybeDraw();
  }

  @Override
  public synchronized void finished(PublishResult result) {
    if (terminal) {
      out.print("\r" + line() + "\n");
    }
    out.printf(Locale.ROOT, "published version %d: %d rows in %d batches, %.1f MB (%.1f MB "
        + "sent) in %.1f s%n", result.version(), result.rows(), result.batches(),
        result.bytes() / MIB, result.uploadedBytes() / MIB, result.seconds());
    out.flush();
  }

  private void maybeDraw() {
    long now = System.nanoTime();
    if (now - lastDrawNanos < intervalNanos) {
      return;
    }
    lastDrawNanos = now;
    if (terminal) {
      out.print("\r" + line());
    } else {
      out.println(line());
    }
    out.flush();
  }

  /** Returns the progress text, without line ends. */
  synchronized String line() {
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    double rate = inputBytes / MIB / seconds;
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
        "%,d rows, %.1f MB read, %.1f MB/s, %.1f MB sent, %d batches", rows, inputBytes / MIB,
        rate, uploadedBytes / MIB, batches));
    if (totalInputBytes > 0 && inputBytes > 0) {
      double fraction = Math.min(1.0, (double) inputBytes / totalInputBytes);
      double eta = seconds * (1 - fraction) / fraction;
      text.append(String.format(Locale.ROOT, ", %3.0f%%, ETA %.0f s", fraction * 100, eta));
    }
    return text.toString();
  }
}
