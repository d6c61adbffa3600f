package dev.cairn.wire.erasure;

import java.util.Arrays;

/**
 * The byte loops of the codec: {@code outputs[r] = sum_j coefficients[r][j] · inputs[j]} over
 * GF(2^8), written so that HotSpot's C2 compiles every loop to SIMD instructions in plain Java
 * 17 (no incubator module, no flag).
 *
 * <p>Why not a product-table lookup per byte: an indexed load per byte cannot be vectorised, and
 * it measured 2.7 times slower at 10 + 4 (docs/decisions.md, "Erasure codec"). Instead, for each
 * block of {@link #BLOCK_BYTES} of one input, the kernel computes the input times 2, 4, …, 128
 * by repeated doubling ({@link #doubleInto}: shift left, and XOR the polynomial's low byte 0x1d
 * where the top bit was set), and adds to each output the powers whose bits are set in its
 * coefficient. Every loop reads and writes arrays at the same index, which is what lets C2
 * prove they do not overlap and vectorise them; that is why outputs accumulate in scratch
 * blocks and are copied out once per block.
 */
final class ShardKernels {
  /** Bytes of every shard handled per pass; the scratch (8 + outputs blocks) stays in L1/L2. */
  static final int BLOCK_BYTES = 2048;
  /** Bits of a field element, hence powers of two a coefficient is made of. */
  private static final int BITS = 8;
  /** The low byte of the field polynomial 0x11d, added when doubling overflows. */
  private static final int REDUCTION = Galois.POLYNOMIAL & 0xff;

  private ShardKernels() {}

  /** Sets {@code outputs[r][0..shardBytes) = sum_j coefficients[r][j] · inputs[j][...]}. */
  static void combine(int[][] coefficients, byte[][] inputs, byte[][] outputs, int shardBytes) {
    byte[][] powers = new byte[BITS][BLOCK_BYTES];
    byte[][] sums = new byte[outputs.length][BLOCK_BYTES];
    int[] highestBit = highestBitPerInput(coefficients, inputs.length);
    for (int from = 0; from < shardBytes; from += BLOCK_BYTES) {
      int length = Math.min(BLOCK_BYTES, shardBytes - from);
      for (byte[] sum : sums) {
        Arrays.fill(sum, 0, length, (byte) 0);
      }
      for (int column = 0; column < inputs.length; column++) {
        if (highestBit[column] < 0) {
          continue;
        }
        System.arraycopy(inputs[column], from, powers[0], 0, length);
        for (int bit = 1; bit <= highestBit[column]; bit++) {
          doubleInto(powers[bit - 1], powers[bit], length);
        }
        for (int row = 0; row < outputs.length; row++) {
          for (int bits = coefficients[row][column]; bits != 0; bits &= bits - 1) {
            xorInto(powers[Integer.numberOfTrailingZeros(bits)], sums[row], length);
          }
        }
      }
      for (int row = 0; row < outputs.length; row++) {
        System.arraycopy(sums[row], 0, outputs[row], from, length);
      }
    }
  }

  /** Returns, per input, the highest bit set in any of its coefficients (-1 if all are 0). */
  private static int[] highestBitPerInput(int[][] coefficients, int inputCount) {
    int[] highest = new int[inputCount];
    for (int column = 0; column < inputCount; column++) {
      int union = 0;
      for (int[] row : coefficients) {
        union |= row[column];
      }
      highest[column] = 31 - Integer.numberOfLeadingZeros(union);
    }
    return highest;
  }

  /** Sets {@code target[i] = 2 · source[i]} in GF(2^8) for i below {@code length}. */
  static void doubleInto(byte[] source, byte[] target, int length) {
    for (int i = 0; i < length; i++) {
      int value = source[i]; // sign-extended: value >> 31 is -1 exactly when bit 7 is set
      target[i] = (byte) ((value + value) ^ ((value >> 31) & REDUCTION));
    }
  }

  /** XORs {@code source[0..length)} into {@code target[0..length)}. */
  static void xorInto(byte[] source, byte[] target, int length) {
    for (int i = 0; i < length; i++) {
      target[i] ^= source[i];
    }
  }
}
