package dev.cairn.tpch.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians, geometric means and formatting of durations for the benchmark tables. */
final class Stats {
  private Stats() {}

  /** Returns the median of {@code values} (mean of the middle two for an even count). */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Returns the geometric mean of the positive finite values, NaN if there are none. */
  static double geomean(List<Double> values) {
    double logSum = 0;
    int n = 0;
    for (double v : values) {
      if (v > 0 && Double.isFinite(v)) {
        logSum += Math.log(v);
        n++;
      }
    }
    return n == 0 ? Double.NaN : Math.exp(logSum / n);
  }

  static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  /** Formats milliseconds with three significant digits, or "n/a". */
  static String ms(double millis) {
    if (!Double.isFinite(millis)) {
      return "n/a";
    }
    if (millis >= 100) {
      return String.format(Locale.ROOT, "%.0f", millis);
    }
    return String.format(Locale.ROOT, millis >= 10 ? "%.1f" : "%.2f", millis);
  }

  static String ratio(double r) {
    return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2f", r) : "n/a";
  }
}
