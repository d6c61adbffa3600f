package dev.cairn.wire.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vectorisable kernel agrees with the plain product table for every coefficient. */
class ShardKernelsTest {

  @Test
  void everyCoefficientMatchesTheProductTable() {
    int length = 2 * ShardKernels.BLOCK_BYTES + 77; // crosses block boundaries, ragged tail
    byte[] input = new byte[length];
    new Random(5).nextBytes(input);
    for (int coefficient = 0; coefficient < 256; coefficient++) {
      byte[] output = new byte[length];
      ShardKernels.combine(new int[][] {{coefficient}}, new byte[][] {input},
          new byte[][] {output}, length);
      byte[] expected = new byte[length];
      for (int i = 0; i < length; i++) {
        expected[i] = Galois.MULTIPLY[coefficient][input[i] & 0xff];
      }
      assertArrayEquals(expected, output, "coefficient " + coefficient);
    }
  }

  @Test
  void sumsOfSeveralInputsMatchTheProductTable() {
    Random random = new Random(9);
    int length = ShardKernels.BLOCK_BYTES + 3;
    byte[][] inputs = new byte[5][length];
    for (byte[] input : inputs) {
      random.nextBytes(input);
    }
    int[][] coefficients = new int[3][5];
    for (int[] row : coefficients) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextInt(256);
      }
    }
    byte[][] outputs = new byte[3][length];
    ShardKernels.combine(coefficients, inputs, outputs, length);
    for (int r = 0; r < 3; r++) {
      byte[] expected = new byte[length];
      for (int j = 0; j < 5; j++) {
        for (int i = 0; i < length; i++) {
          expected[i] ^= Galois.MULTIPLY[coefficients[r][j]][inputs[j][i] & 0xff];
        }
      }
      assertArrayEquals(expected, outputs[r], "output " + r);
    }
  }
}
