package dev.cairn.tpch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rows of the scan benchmark's table: each way of scanning, its runs and rates. */
final class ScanFigures {
  private record Line(String what, List<Double> millis, String note) { }

  final long rows;
  long blobBytes;
  long arrowBytes;
  long limit;
  private final List<Line> lines = new ArrayList<>();

  ScanFigures(long rows) {
    this.rows = rows;
  }

  void add(String what, List<Double> millis, String note) {
    lines.add(new Line(what, List.copyOf(millis), note));
    System.out.printf(Locale.ROOT, "%s: %s ms%n", what, millis);
  }

  String markdown() {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%d rows, %.1f MB of blobs,"
        + " %.1f MB of uncompressed Arrow.%n%n", rows, blobBytes / 1e6, arrowBytes / 1e6));
    t.append("| scan | runs (ms) | median ms | M rows/s | blob MB/s | Arrow MB/s | note |\n");
    t.append("|---|---|---|---|---|---|---|\n");
    for (Line line : lines) {
      double ms = Stats.median(line.millis());
      double seconds = ms / 1000;
      String note = line.note();
      if (note.startsWith("n·L")) {
        double mibPerS = blobBytes / seconds / (1 << 20);
        note += String.format(Locale.ROOT, "; scan %.1f MiB/s of blobs = %.0f %% of n·L",
            mibPerS, 100 * blobBytes / seconds / (3.0 * limit));
      }
      t.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.0f | %.0f | %s |%n",
          line.what(), line.millis().stream().map(Stats::ms).toList(), Stats.ms(ms),
          rows / seconds / 1e6, blobBytes / seconds / 1e6, arrowBytes / seconds / 1e6, note));
    }
    return t.toString();
  }
}
