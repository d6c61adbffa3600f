package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/** Our xxHash32 gives lz4-java's value for every length, offset and seed tried. */
class XxHash32Test {
  private static final XXHash32 LZ4_JAVA = XXHashFactory.safeInstance().hash32();

  @Test
  void equalsLz4JavasOnEveryLengthNearTheStripeAndLaneEdgesAtEveryOffset() {
    byte[] bytes = new byte[300];
    new Random(20).nextBytes(bytes);
    for (int offset = 0; offset < 8; offset++) {
      for (int length = 0; offset + length <= bytes.length; length++) {
        for (int seed : new int[] {0, 1, -1, 0x9E3779B1}) {
          assertEquals(LZ4_JAVA.hash(bytes, offset, length, seed),
              XxHash32.hash(bytes, offset, length, seed),
              "offset " + offset + " length " + length + " seed " + seed);
        }
      }
    }
  }

  @Test
  void equalsLz4JavasOnABlockAndAFrameSizedInput() {
    Random random = new Random(21);
    for (int length : new int[] {64 * 1024, 4 * 1024 * 1024 + 13}) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      assertEquals(LZ4_JAVA.hash(bytes, 0, length, 0), XxHash32.hash(bytes, 0, length, 0));
    }
  }

  @Test
  void knownValuesOfTheSpecification() {
    // Published test values of xxHash32 with seed 0.
    assertEquals(0x02CC5D05, XxHash32.hash(new byte[0], 0, 0, 0));
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0x32D153FF, XxHash32.hash(abc, 0, abc.length, 0));
  }

  @Test
  void aRangeOutsideTheArrayIsRefused() {
    assertThrows(IndexOutOfBoundsException.class, () -> XxHash32.hash(new byte[4], 2, 3, 0));
  }
}
