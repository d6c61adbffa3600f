package dev.cairn.client.input;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses the text forms of values that CSV input uses. Every parser returns normally only for
 * text that is exactly a value of its type; anything else throws {@link
 * IllegalArgumentException}, which the caller turns into a BAD_FORMAT naming line and column.
 *
 * <p>Forms: integers in decimal with an optional sign; doubles in decimal or scientific form,
 * or NaN, Infinity, -Infinity (no Java suffixes like {@code 1d}, no hex); dates {@code
 * yyyy-MM-dd}; timestamps {@code yyyy-MM-dd HH:mm:ss} (or a {@code T} between) with up to six
 * fraction digits; booleans {@code true}/{@code false} in any case.
 */
public final class TextValues {
  private static final int DATE_CHARS = 10;
  private static final int FRACTION_DIGITS_MAX = 6;
  private static final long MICROS_PER_SECOND = 1_000_000L;

  private TextValues() {}

  public static long parseLong(String text) {
    return Long.parseLong(text);
  }

  public static int parseInt(String text) {
    return Integer.parseInt(text);
  }

  public static double parseDouble(String text) {
    switch (text) {
      case "NaN": return Double.NaN;
      case "Infinity": case "+Infinity": case "inf": return Double.POSITIVE_INFINITY;
      case "-Infinity": case "-inf": return Double.NEGATIVE_INFINITY;
      default: break;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e'
          || c == 'E')) {
        throw new IllegalArgumentException("not a number");
      }
    }
    return Double.parseDouble(text);
  }

  public static BigDecimal parseDecimal(String text) {
    return new BigDecimal(text);
  }

  /** Returns days since 1970-01-01 of a {@code yyyy-MM-dd} date. */
  public static int parseEpochDay(String text) {
    if (text.length() != DATE_CHARS || text.charAt(4) != '-' || text.charAt(7) != '-') {
      throw new IllegalArgumentException("not yyyy-MM-dd");
    }
    try {
      LocalDate date = LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
      return Math.toIntExact(date.toEpochDay());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Returns microseconds since 1970-01-01T00:00 of {@code yyyy-MM-dd HH:mm:ss[.ffffff]}. */
  public static long parseEpochMicros(String text) {
    if (text.length() < DATE_CHARS + 9 || (text.charAt(10) != ' ' && text.charAt(10) != 'T')
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      throw new IllegalArgumentException("not yyyy-MM-dd HH:mm:ss");
    }
    int micros = 0;
    if (text.length() > 19) {
      int fraction = text.length() - 20;
      if (text.charAt(19) != '.' || fraction < 1 || fraction > FRACTION_DIGITS_MAX) {
        throw new IllegalArgumentException("bad fraction of a second");
      }
      micros = digits(text, 20, text.length());
      for (int i = fraction; i < FRACTION_DIGITS_MAX; i++) {
        micros *= 10;
      }
    }
    try {
      LocalDateTime time = LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7),
          digits(text, 8, 10), digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19));
      long seconds = time.toEpochSecond(ZoneOffset.UTC);
      return Math.addExact(Math.multiplyExact(seconds, MICROS_PER_SECOND), micros);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public static boolean parseBoolean(String text) {
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    if (text.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("not true or false");
  }

  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("not a digit");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
