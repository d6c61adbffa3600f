package dev.cairn.client.input;

/**
 * Checks bytes for well-formed UTF-8 by the rules the JDK's decoder applies when it reports
 * malformed input (Unicode Table 3-7: no overlong forms, no surrogates, nothing above
 * U+10FFFF), so bytes it accepts decode to a String that encodes back to the same bytes.
 */
final class Utf8Bytes {
  private Utf8Bytes() {}

  /** True if {@code bytes[from..to)} is well-formed UTF-8. */
  static boolean isValid(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      if (b < 0xC2 || b > 0xF4) {
        return false;
      }
      int continuation = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
      if (i + continuation >= to) {
        return false;
      }
      int second = bytes[i + 1] & 0xFF;
      if ((second & 0xC0) != 0x80
          || (b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F)
          || (b == 0xF0 && second < 0x90) || (b == 0xF4 && second > 0x8F)) {
        return false;
      }
      for (int k = 2; k <= continuation; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += continuation + 1;
    }
    return true;
  }
}
