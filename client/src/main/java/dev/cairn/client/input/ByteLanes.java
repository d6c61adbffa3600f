package dev.cairn.client.input;

/**
 * Finds bytes eight at a time in a long read from a byte array (SWAR): the CSV chunker's scan
 * for quotes and line feeds and the byte parser's scan for a field's end share it.
 */
final class ByteLanes {
  private static final long LOW_SEVEN_BITS = 0x7F7F_7F7F_7F7F_7F7FL;
  private static final long ONES = 0x0101_0101_0101_0101L;

  private ByteLanes() {
  }

  /** Returns {@code b} in each of the eight bytes of a long: a pattern for {@link #matches}. */
  static long repeated(byte b) {
    return (b & 0xFFL) * ONES;
  }

  /**
   * Returns the high bit of each byte of {@code word} equal to the byte repeated in {@code
   * pattern}, and no other bit: exact (no borrow runs between bytes), so its bit count counts,
   * and in a little-endian read its trailing zeros divided by eight index the first match.
   */
  static long matches(long word, long pattern) {
    long differences = word ^ pattern;
    long low = (differences & LOW_SEVEN_BITS) + LOW_SEVEN_BITS;
    return ~(low | differences | LOW_SEVEN_BITS);
  }
}
