package dev.cairn.wire.erasure;

/**
 * Arithmetic in GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d) and generator 2,
 * the field of most Reed-Solomon storage codes (ISA-L, Backblaze, klauspost). Addition is XOR;
 * multiplication goes through log/exp tables, and {@link #MULTIPLY} holds the full product
 * table, one 256-byte row per coefficient, which is what the codec's inner loops index.
 */
final class Galois {
  /** The field polynomial, with its x^8 bit. */
  static final int POLYNOMIAL = 0x11d;
  /** Number of field elements. */
  static final int ORDER = 256;

  private static final int[] LOG = new int[ORDER];
  /** exp[i] = 2^i, doubled in length so exp[log a + log b] needs no modulo. */
  private static final byte[] EXP = new byte[2 * (ORDER - 1)];
  /** MULTIPLY[c][x] = c · x: one 256-byte table per coefficient (64 KiB in all). */
  static final byte[][] MULTIPLY = new byte[ORDER][ORDER];

  static {
    int value = 1;
    for (int power = 0; power < ORDER - 1; power++) {
      EXP[power] = (byte) value;
      EXP[power + ORDER - 1] = (byte) value;
      LOG[value] = power;
      value <<= 1;
      if (value >= ORDER) {
        value ^= POLYNOMIAL;
      }
    }
    for (int a = 0; a < ORDER; a++) {
      for (int b = 0; b < ORDER; b++) {
        MULTIPLY[a][b] = (byte) slowMultiply(a, b);
      }
    }
  }

  private Galois() {}

  private static int slowMultiply(int a, int b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return EXP[LOG[a] + LOG[b]] & 0xff;
  }

  /** Returns a · b. */
  static int multiply(int a, int b) {
    return MULTIPLY[a & 0xff][b & 0xff] & 0xff;
  }

  /** Returns a / b; b must not be 0. */
  static int divide(int a, int b) {
    if (b == 0) {
      throw new ArithmeticException("division by zero in GF(2^8)");
    }
    if (a == 0) {
      return 0;
    }
    return EXP[LOG[a] - LOG[b] + ORDER - 1] & 0xff;
  }

  /** Returns 1 / a; a must not be 0. */
  static int inverse(int a) {
    return divide(1, a);
  }
}
