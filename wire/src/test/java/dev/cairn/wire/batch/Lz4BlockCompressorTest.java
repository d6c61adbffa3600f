package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * Goal: our LZ4 block compressor writes exactly the bytes lz4-java's Java fast compressor
 * writes (content ids depend on them, and the batch golden vectors pin some), on every shape
 * of input a publish compresses and on the edges of the algorithm: blocks too short to match,
 * literal runs and matches whose lengths need extra bytes, matches reaching the end margin,
 * the search step's growth on incompressible data, and blocks that start inside an array with
 * other bytes after them. Each block also decompresses to its input.
 */
class Lz4BlockCompressorTest {
  private static final LZ4Compressor REFERENCE = LZ4Factory.safeInstance().fastCompressor();
  private static final String[] WORDS = {"furiously", "quickly", " ", "regular", "deposits",
      "sleep", "carefully", "final", "packages", "|", "1996-03-13", "DELIVER IN PERSON", "\n"};

  @Test
  void blocksEqualLz4JavasOnEveryShapeAndSize() {
    Random random = new Random(42);
    Lz4BlockCompressor ours = new Lz4BlockCompressor();
    int[] sizes = {0, 1, 4, 5, 11, 12, 13, 14, 15, 16, 17, 19, 20, 24, 31, 32, 33, 64, 255,
        256, 269, 270, 271, 272, 526, 1000, 4095, 4096, 4097, 30_000, 65_534, 65_535, 65_536};
    int blocks = 0;
    for (Shape shape : Shape.values()) {
      for (int size : sizes) {
        check(ours, shape.fill(random, size), shape + " size " + size);
        blocks++;
      }
      for (int i = 0; i < 40; i++) {
        int size = random.nextInt(Lz4BlockCompressor.INPUT_BYTES_MAX + 1);
        check(ours, shape.fill(random, size), shape + " random size " + size);
        blocks++;
      }
    }
    assertEquals(Shape.values().length * (sizes.length + 40), blocks);
  }

  @Test
  void aBlockInsideALargerArrayIsCompressedAloneWhateverSurroundsIt() {
    Random random = new Random(7);
    Lz4BlockCompressor ours = new Lz4BlockCompressor();
    for (Shape shape : Shape.values()) {
      byte[] block = shape.fill(random, 20_000);
      // The same bytes repeated before and after: a compressor that looked outside its block
      // would find matches there.
      byte[] array = new byte[3 * block.length + 5];
      for (int i = 0; i < array.length; i++) {
        array[i] = block[i % block.length];
      }
      int srcOff = block.length + 5;
      byte[] expected = new byte[7 + REFERENCE.maxCompressedLength(block.length)];
      int expectedLength = REFERENCE.compress(array, srcOff, block.length, expected, 7,
          expected.length - 7);
      byte[] actual = new byte[expected.length];
      Arrays.fill(actual, (byte) 0x5a);
      int actualLength = ours.compress(array, srcOff, block.length, actual, 7);
      assertEquals(expectedLength, actualLength, shape.toString());
      assertArrayEquals(Arrays.copyOfRange(expected, 7, 7 + expectedLength),
          Arrays.copyOfRange(actual, 7, 7 + actualLength), shape.toString());
    }
  }

  @Test
  void refusesABlockLargerThan64KiBOrTooLittleRoom() {
    Lz4BlockCompressor ours = new Lz4BlockCompressor();
    byte[] big = new byte[Lz4BlockCompressor.INPUT_BYTES_MAX + 1];
    assertThrows(IllegalArgumentException.class, () -> ours.compress(big, 0, big.length,
        new byte[Lz4BlockCompressor.maxCompressedLength(big.length)], 0));
    assertThrows(IllegalArgumentException.class, () -> ours.compress(new byte[100], 0, 100,
        new byte[100], 0));
    assertEquals(REFERENCE.maxCompressedLength(65_536),
        Lz4BlockCompressor.maxCompressedLength(65_536));
  }

  private static void check(Lz4BlockCompressor ours, byte[] data, String what) {
    byte[] expected = new byte[REFERENCE.maxCompressedLength(data.length)];
    int expectedLength = REFERENCE.compress(data, 0, data.length, expected, 0, expected.length);
    byte[] actual = new byte[Lz4BlockCompressor.maxCompressedLength(data.length)];
    int actualLength = ours.compress(data, 0, data.length, actual, 0);
    assertEquals(expectedLength, actualLength, what);
    assertArrayEquals(Arrays.copyOf(expected, expectedLength),
        Arrays.copyOf(actual, actualLength), what);
    byte[] restored = new byte[data.length];
    LZ4Factory.safeInstance().safeDecompressor().decompress(actual, 0, actualLength, restored,
        0);
    assertArrayEquals(data, restored, what);
  }

  /** Kinds of input: what Arrow buffers of real tables hold, and the algorithm's edges. */
  private enum Shape {
    RANDOM(r -> (byte) r.nextInt(256)),
    ZEROS(r -> 0),
    ONE_BYTE(r -> 'x'),
    TWO_SYMBOLS(r -> r.nextInt(16) == 0 ? 1 : 0),
    SMALL_ALPHABET(r -> (byte) ('a' + r.nextInt(4))),
    /** Mostly literal runs with a rare repeat: long runs whose length needs extra bytes. */
    RARE_REPEATS(null),
    /** A period of 1 to 300 bytes with noise: matches at every distance. */
    PERIODIC(null),
    WORDS_TEXT(null),
    /** Little-endian ints counting up, as an offsets buffer. */
    OFFSETS(null),
    /** Little-endian doubles of prices. */
    PRICES(null),
    /** Compressible first half, incompressible second: the search step grows and resets. */
    HALF_AND_HALF(null);

    private final java.util.function.ToIntFunction<Random> perByte;

    Shape(java.util.function.ToIntFunction<Random> perByte) {
      this.perByte = perByte;
    }

    byte[] fill(Random random, int size) {
      byte[] data = new byte[size];
      if (perByte != null) {
        for (int i = 0; i < size; i++) {
          data[i] = (byte) perByte.applyAsInt(random);
        }
        return data;
      }
      switch (this) {
        case RARE_REPEATS -> {
          random.nextBytes(data);
          for (int at = random.nextInt(700); at + 40 < size; at += 300 + random.nextInt(900)) {
            int from = random.nextInt(at + 1);
            System.arraycopy(data, from, data, at, Math.min(20 + random.nextInt(400),
                size - at));
          }
        }
        case PERIODIC -> {
          int period = 1 + random.nextInt(300);
          byte[] unit = new byte[period];
          random.nextBytes(unit);
          for (int i = 0; i < size; i++) {
            data[i] = random.nextInt(500) == 0 ? (byte) random.nextInt(256) : unit[i % period];
          }
        }
        case WORDS_TEXT -> fillFrom(data, i -> WORDS[random.nextInt(WORDS.length)]);
        case OFFSETS -> {
          ByteBuffer out = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
          int value = 0;
          while (out.remaining() >= 4) {
            value += 10 + random.nextInt(40);
            out.putInt(value);
          }
        }
        case PRICES -> {
          ByteBuffer out = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
          while (out.remaining() >= 8) {
            out.putDouble(Math.round(random.nextDouble() * 100_000) / 100.0);
          }
        }
        case HALF_AND_HALF -> {
          fillFrom(data, i -> WORDS[random.nextInt(3)]);
          byte[] noise = new byte[size - size / 2];
          random.nextBytes(noise);
          System.arraycopy(noise, 0, data, size / 2, noise.length);
        }
        default -> throw new IllegalStateException(toString());
      }
      return data;
    }

    private static void fillFrom(byte[] data, IntFunction<String> words) {
      int at = 0;
      for (int i = 0; at < data.length; i++) {
        byte[] word = words.apply(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int n = Math.min(word.length, data.length - at);
        System.arraycopy(word, 0, data, at, n);
        at += n;
      }
    }
  }
}
