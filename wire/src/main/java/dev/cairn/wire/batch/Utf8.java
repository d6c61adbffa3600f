package dev.cairn.wire.batch;

/**
 * Strict UTF-8 validation (RFC 3629): shortest form only, no surrogates, nothing above
 * U+10FFFF. Java's decoders replace bad input silently, which would let a batch's bytes and
 * its statistics disagree. The CSV reader uses it too, so a VARCHAR it copies from the file
 * is exactly what its decoding path would have accepted.
 */
public final class Utf8 {
  private Utf8() {
  }

  /** Returns true if bytes {@code [from, to)} are well-formed UTF-8. */
  public static boolean isValid(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int lead = bytes[i] & 0xff;
      if (lead < 0x80) {
        i++;
        continue;
      }
      int length;
      int min;
      if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        min = 0x80;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        min = 0x800;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + length > to) {
        return false;
      }
      int codePoint = lead & (0xff >> (length + 1));
      for (int k = 1; k < length; k++) {
        int next = bytes[i + k] & 0xff;
        if ((next & 0xc0) != 0x80) {
          return false;
        }
        codePoint = (codePoint << 6) | (next & 0x3f);
      }
      boolean surrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
      if (codePoint < min || codePoint > 0x10ffff || surrogate) {
        return false;
      }
      i += length;
    }
    return true;
  }
}
