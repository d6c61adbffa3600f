package dev.cairn.wire.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.cairn.wire.GoldenVectors;
import org.junit.jupiter.api.Test;

/** The codec matches the golden vectors of docs/protocol.md 4.8, so others can check theirs. */
class ErasureGoldenVectorsTest {

  @Test
  void parityMatrixOf10Plus4MatchesTheDocument() {
    ReedSolomon code = ReedSolomon.of(10, 4);
    byte[] matrix = new byte[4 * 10];
    for (int row = 0; row < 4; row++) {
      for (int column = 0; column < 10; column++) {
        matrix[row * 10 + column] = (byte) code.parityCoefficient(row, column);
      }
    }
    assertArrayEquals(GoldenVectors.hex("erasure-parity-matrix-10+4"), matrix);
  }

  @Test
  void stripeOf4Plus2MatchesTheDocument() {
    byte[] blob = new byte[14];
    for (int i = 0; i < blob.length; i++) {
      blob[i] = (byte) i;
    }
    byte[][] shards = Stripe.cut(blob, ReedSolomon.of(4, 2));
    byte[] all = new byte[6 * 4];
    for (int i = 0; i < 6; i++) {
      System.arraycopy(shards[i], 0, all, i * 4, 4);
    }
    assertArrayEquals(GoldenVectors.hex("erasure-stripe-4+2"), all);
  }
}
