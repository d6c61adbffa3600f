package dev.cairn.wire;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the sizes, rates and durations that admins type: {@code 10GiB},
 * {@code 20MiB/s}, {@code 30s}. Binary units (KiB, MiB, GiB, TiB) are powers of 1024, decimal
 * ones (KB, MB, GB, TB) powers of 1000, a bare number is bytes.
 */
public final class Units {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Units() {}

  /** Parses a size such as {@code 10GiB}, {@code 512MB} or {@code 1048576}, in bytes. */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 10GiB, 512MiB, 100MB)");
    }
    double number = Double.parseDouble(m.group(1));
    long unit = unitBytes(m.group(2), text);
    double bytes = number * unit;
    if (bytes > Long.MAX_VALUE) {
      throw new IllegalArgumentException("size too large: '" + text + "'");
    }
    return (long) bytes;
  }

  /** Parses a rate such as {@code 20MiB/s}, in bytes per second. */
  public static long parseRate(String text) {
    String t = text.trim();
    if (!t.endsWith("/s")) {
      throw new IllegalArgumentException("not a rate: '" + text + "' (e.g. 20MiB/s)");
    }
    return parseSize(t.substring(0, t.length() - 2));
  }

  /** Parses a duration such as {@code 30s}, {@code 500ms}, {@code 5m}, {@code 2h}, {@code 1d}. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 30s, 5m, 500ms)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      case "h": return Duration.ofHours(n);
      default: return Duration.ofDays(n);
    }
  }

  /**
   * Prints a duration the way {@link #parseDuration} reads it, in the largest unit that holds it
   * exactly: {@code 2s}, {@code 90s}, {@code 1h}, {@code 1500ms}.
   */
  public static String formatDuration(Duration duration) {
    long millis = duration.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis != 0 && millis % sizes[i] == 0) {
        return millis / sizes[i] + names[i];
      }
    }
    return millis + "ms";
  }

  /** Prints bytes with a binary unit and one decimal, e.g. {@code 1.5 GiB}. */
  public static String formatSize(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int index = 0;
    while (value >= 1024 && index < units.length - 1) {
      value /= 1024;
      index++;
    }
    return index == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[index]);
  }

  private static long unitBytes(String unit, String text) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "": case "b": return 1L;
      case "k": case "kib": return 1L << 10;
      case "m": case "mib": return 1L << 20;
      case "g": case "gib": return 1L << 30;
      case "t": case "tib": return 1L << 40;
      case "kb": return 1_000L;
      case "mb": return 1_000_000L;
      case "gb": return 1_000_000_000L;
      case "tb": return 1_000_000_000_000L;
      default:
        throw new IllegalArgumentException("unknown unit '" + unit + "' in '" + text
            + "': use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB");
    }
  }
}
