package dev.cairn.wire.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every erasure pattern of up to m shards decodes to the original bytes, for several codes. */
class ReedSolomonTest {

  @ParameterizedTest(name = "{0}+{1}, {2} bytes")
  @CsvSource({"1,1,100", "4,2,1001", "6,3,999", "10,4,1237", "3,5,64", "2,1,3"})
  void everyPatternOfUpToMErasuresDecodes(int k, int m, int blobBytes) {
    ReedSolomon code = ReedSolomon.of(k, m);
    byte[] blob = randomBytes(blobBytes, 31L * k + m);
    byte[][] shards = Stripe.cut(blob, code);
    List<boolean[]> patterns = erasurePatterns(k + m, m);
    for (boolean[] erased : patterns) {
      byte[][] received = new byte[k + m][];
      for (int i = 0; i < k + m; i++) {
        received[i] = erased[i] ? null : shards[i].clone();
      }
      assertArrayEquals(blob, Stripe.decode(received, code, blobBytes), describe(erased));
    }
    assertEquals(patternCount(k + m, m), patterns.size());
  }

  @ParameterizedTest(name = "{0}+{1}")
  @CsvSource({"4,2", "6,3", "10,4"})
  void reconstructRebuildsParityShardsToo(int k, int m) {
    ReedSolomon code = ReedSolomon.of(k, m);
    byte[][] shards = Stripe.cut(randomBytes(5000, 7), code);
    for (boolean[] erased : erasurePatterns(k + m, m)) {
      byte[][] work = new byte[k + m][];
      boolean[] present = new boolean[k + m];
      for (int i = 0; i < k + m; i++) {
        present[i] = !erased[i];
        work[i] = erased[i] ? new byte[shards[i].length] : shards[i].clone();
      }
      code.reconstruct(work, present, shards[0].length, false);
      for (int i = 0; i < k + m; i++) {
        assertArrayEquals(shards[i], work[i], "shard " + i + " after " + describe(erased));
      }
    }
  }

  @Test
  void moreThanMErasuresAreRefused() {
    ReedSolomon code = ReedSolomon.of(4, 2);
    byte[][] shards = Stripe.cut(randomBytes(100, 1), code);
    shards[0] = null;
    shards[1] = null;
    shards[5] = null;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Stripe.decode(shards, code, 100));
    assertEquals("only 3 of the 4 shards needed are present", e.getMessage());
  }

  @Test
  void paddingKeepsTheTrueLength() {
    ReedSolomon code = ReedSolomon.of(4, 2);
    for (int length : new int[] {0, 1, 3, 4, 5, 8, 9}) {
      byte[] blob = randomBytes(length, length);
      byte[][] shards = Stripe.cut(blob, code);
      assertEquals(Math.max(1, (length + 3) / 4), shards[0].length);
      byte[][] withoutFirstData = shards.clone();
      withoutFirstData[0] = null;
      withoutFirstData[3] = null;
      assertArrayEquals(blob, Stripe.decode(withoutFirstData, code, length), "length " + length);
      assertArrayEquals(blob, Stripe.join(shards, 4, length), "length " + length);
    }
  }

  @Test
  void boundsOnKAndMAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> ReedSolomon.of(0, 1));
    assertThrows(IllegalArgumentException.class, () -> ReedSolomon.of(1, 0));
    assertThrows(IllegalArgumentException.class, () -> ReedSolomon.of(200, 57));
    assertEquals(256, ReedSolomon.of(255, 1).totalCount());
    assertEquals(256, ReedSolomon.of(1, 255).totalCount());
  }

  @Test
  void widestCodesStillDecode() {
    ReedSolomon code = ReedSolomon.of(200, 56);
    byte[] blob = randomBytes(4000, 3);
    byte[][] shards = Stripe.cut(blob, code);
    for (int i = 0; i < 56; i++) {
      shards[i * 3] = null;
    }
    assertArrayEquals(blob, Stripe.decode(shards, code, blob.length));
  }

  @Test
  void parityMatrixHasOnesInItsFirstRowAndColumn() {
    ReedSolomon code = ReedSolomon.of(10, 4);
    for (int j = 0; j < 10; j++) {
      assertEquals(1, code.parityCoefficient(0, j));
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(1, code.parityCoefficient(i, 0));
    }
  }

  @Test
  void fieldInversesAreInverses() {
    for (int a = 1; a < 256; a++) {
      assertEquals(1, Galois.multiply(a, Galois.inverse(a)), "a = " + a);
    }
  }

  private static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Returns every set of at most {@code most} erased positions among {@code total}. */
  private static List<boolean[]> erasurePatterns(int total, int most) {
    List<boolean[]> patterns = new ArrayList<>();
    for (int mask = 0; mask < 1 << total; mask++) {
      if (Integer.bitCount(mask) <= most) {
        boolean[] erased = new boolean[total];
        for (int i = 0; i < total; i++) {
          erased[i] = (mask & 1 << i) != 0;
        }
        patterns.add(erased);
      }
    }
    return patterns;
  }

  private static long patternCount(int total, int most) {
    long count = 0;
    for (int size = 0; size <= most; size++) {
      long choose = 1;
      for (int i = 0; i < size; i++) {
        choose = choose * (total - i) / (i + 1);
      }
      count += choose;
    }
    return count;
  }

  private static String describe(boolean[] erased) {
    StringBuilder text = new StringBuilder("erased");
    for (int i = 0; i < erased.length; i++) {
      if (erased[i]) {
        text.append(' ').append(i);
      }
    }
    return text.toString();
  }
}
