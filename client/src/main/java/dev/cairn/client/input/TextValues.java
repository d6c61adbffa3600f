package dev.cairn.client.input;

import dev.cairn.wire.UuidText;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Parses the text forms of values that CSV input uses. Every parser returns normally only for
 * text that is exactly a value of its type; anything else throws {@link
 * IllegalArgumentException}, which the caller turns into a BAD_FORMAT naming line and column.
 *
 * <p>Forms: integers in decimal with an optional sign (SMALLINT and TINYINT within their
 * range); doubles and reals in decimal or scientific form, or NaN, Infinity, -Infinity (no
 * Java suffixes like {@code 1d}, no hex; a REAL out of float range is refused, not made
 * infinite); dates {@code yyyy-MM-dd}; timestamps {@code yyyy-MM-dd HH:mm:ss} (or a {@code T}
 * between) with up to six fraction digits; TIMESTAMPTZ the same followed by an offset
 * ({@code Z}, {@code +HH}, {@code +HH:MM} or {@code +HHMM}, blanks allowed before it), or no
 * offset, which means UTC; times {@code HH:mm:ss[.ffffff]} up to {@code 24:00:00}; booleans as
 * DuckDB casts text to BOOLEAN: {@code true t yes y 1} and {@code false f no n 0} in any case;
 * VARBINARY as DuckDB writes a BLOB: printable ASCII bytes as themselves and {@code \xHH} for
 * any byte.
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

  public static short parseShort(String text) {
    return Short.parseShort(text);
  }

  public static byte parseByte(String text) {
    return Byte.parseByte(text);
  }

  /** Returns the float nearest to {@code text}; out of float range is refused, as DuckDB does. */
  public static float parseFloat(String text) {
    double wide = parseDouble(text);
    if (Double.isNaN(wide) || Double.isInfinite(wide)) {
      return (float) wide;
    }
    // Parsed again as a float: rounding the double would round twice.
    float value = Float.parseFloat(text);
    if (Float.isInfinite(value)) {
      throw new IllegalArgumentException("out of REAL range");
    }
    return value;
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

  /**
   * Returns microseconds since 1970-01-01T00:00Z of a timestamp with an optional offset
   * ({@code Z}, {@code +HH}, {@code +HH:MM}, {@code +HHMM}); without one it is UTC.
   */
  public static long parseInstantMicros(String text) {
    int zoneStart = offsetStart(text);
    long local = parseEpochMicros(text.substring(0, zoneStart).trim());
    int offsetSeconds = parseOffsetSeconds(text.substring(zoneStart));
    return Math.subtractExact(local, offsetSeconds * MICROS_PER_SECOND);
  }

  /** Returns where the offset starts: after the seconds and fraction, else the text's end. */
  private static int offsetStart(String text) {
    for (int i = DATE_CHARS + 9; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'Z' || c == 'z' || c == '+' || c == '-') {
        return i;
      }
    }
    return text.length();
  }

  private static int parseOffsetSeconds(String zone) {
    if (zone.isEmpty() || zone.equalsIgnoreCase("Z")) {
      return 0;
    }
    int sign = zone.charAt(0) == '-' ? -1 : 1;
    String digits = zone.substring(1).replace(":", "");
    if ((digits.length() != 2 && digits.length() != 4)
        || (zone.contains(":") && zone.indexOf(':') != 3)) {
      throw new IllegalArgumentException("offset is not +HH, +HH:MM or +HHMM");
    }
    int hours = digits(digits, 0, 2);
    int minutes = digits.length() == 4 ? digits(digits, 2, 4) : 0;
    if (hours > 18 || minutes > 59) {
      throw new IllegalArgumentException("offset out of range");
    }
    return sign * (hours * 3600 + minutes * 60);
  }

  /** Returns microseconds since midnight of {@code HH:mm:ss[.ffffff]}, up to 24:00:00. */
  public static long parseMicrosOfDay(String text) {
    if (text.length() < 8 || text.charAt(2) != ':' || text.charAt(5) != ':') {
      throw new IllegalArgumentException("not HH:mm:ss");
    }
    long micros = fractionMicros(text, 8);
    int hours = digits(text, 0, 2);
    int minutes = digits(text, 3, 5);
    int seconds = digits(text, 6, 8);
    boolean endOfDay = hours == 24 && minutes == 0 && seconds == 0 && micros == 0;
    if ((hours > 23 && !endOfDay) || minutes > 59 || seconds > 59) {
      throw new IllegalArgumentException("not a time of day");
    }
    return ((hours * 60L + minutes) * 60 + seconds) * MICROS_PER_SECOND + micros;
  }

  /** Returns the microseconds of an optional {@code .f} to {@code .ffffff} at {@code from}. */
  private static int fractionMicros(String text, int from) {
    if (text.length() == from) {
      return 0;
    }
    int fraction = text.length() - from - 1;
    if (text.charAt(from) != '.' || fraction < 1 || fraction > FRACTION_DIGITS_MAX) {
      throw new IllegalArgumentException("bad fraction of a second");
    }
    int micros = digits(text, from + 1, text.length());
    for (int i = fraction; i < FRACTION_DIGITS_MAX; i++) {
      micros *= 10;
    }
    return micros;
  }

  /** Returns the boolean of the texts DuckDB casts to BOOLEAN, in any case. */
  public static boolean parseBoolean(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "true": case "t": case "yes": case "y": case "1": return true;
      case "false": case "f": case "no": case "n": case "0": return false;
      default: throw new IllegalArgumentException("not a boolean (true/false/t/f/yes/no/y/n/1/0)");
    }
  }

  /**
   * Returns the 16 bytes of a UUID as DuckDB casts text to one: 32 hex digits in any case,
   * with the 8-4-4-4-12 hyphens or none, optionally in braces.
   */
  public static byte[] parseUuid(String text) {
    byte[] bytes = UuidText.parseOrNull(text);
    if (bytes == null) {
      throw new IllegalArgumentException("not a UUID");
    }
    return bytes;
  }

  /**
   * Returns the bytes of a BLOB in DuckDB's text form: printable ASCII as itself, {@code \xHH}
   * (hex, either case) for any byte; other characters must be escaped.
   */
  public static byte[] parseBlob(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 3 >= text.length()
            || (text.charAt(i + 1) != 'x' && text.charAt(i + 1) != 'X')) {
          throw new IllegalArgumentException("a backslash must start \\xHH");
        }
        bytes.write(hex(text.charAt(i + 2)) * 16 + hex(text.charAt(i + 3)));
        i += 3;
      } else if (c >= ' ' && c <= '~') {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException("byte " + (int) c + " must be written as \\xHH");
      }
    }
    return bytes.toByteArray();
  }

  private static int hex(char c) {
    int value = Character.digit(c, 16);
    if (value < 0) {
      throw new IllegalArgumentException("not a hex digit: " + c);
    }
    return value;
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
