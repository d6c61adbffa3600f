package dev.cairn.client.input;

/**
 * Parses the common shape of a DOUBLE in CSV, a plain decimal such as {@code -1234.56} with at
 * most 15 digits, without {@link Double#parseDouble}'s general machinery: such a number is an
 * integer below 2^53 divided by an exact power of ten, and one IEEE division is correctly
 * rounded, so the result is bit for bit what {@code Double.parseDouble} returns. Anything else
 * (exponents, signs other than a leading minus, more digits, words) is left to the caller.
 */
final class PlainDecimals {
  /** Most digits a plain decimal may have here: 10^15 is below 2^53, so it is exact. */
  static final int DIGITS_MAX = 15;
  private static final double[] POWERS_OF_TEN = new double[DIGITS_MAX + 1];

  static {
    double power = 1;
    for (int i = 0; i <= DIGITS_MAX; i++) {
      POWERS_OF_TEN[i] = power;
      power *= 10;
    }
  }

  private PlainDecimals() {}

  /**
   * Returns the value of {@code text} if it is a plain decimal, else NaN (never a value). The
   * tokenizer's path; any non-ASCII character becomes '?', which is not a digit, so such text
   * is NaN as it must be.
   */
  static double parse(String text) {
    byte[] ascii = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return parse(ascii, 0, ascii.length);
  }

  /** Returns the value of ASCII {@code bytes[from..to)} if it is a plain decimal, else NaN. */
  static double parse(byte[] bytes, int from, int to) {
    int i = from;
    boolean negative = to > from && bytes[from] == '-';
    if (negative) {
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int fractionDigits = -1; // -1 until the decimal point
    for (; i < to; i++) {
      int c = bytes[i];
      if (c >= '0' && c <= '9') {
        if (++digits > DIGITS_MAX) {
          return Double.NaN;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (fractionDigits >= 0) {
          fractionDigits++;
        }
      } else if (c == '.' && fractionDigits < 0) {
        fractionDigits = 0;
      } else {
        return Double.NaN;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    double value = fractionDigits > 0
        ? mantissa / POWERS_OF_TEN[fractionDigits] : (double) mantissa;
    return negative ? -value : value;
  }
}
