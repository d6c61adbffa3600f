package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/**
 * The direct frame reader against lz4-java's frame stream: the same bytes out of every frame
 * Cairn writes, and BAD_FORMAT for every damaged one; frames with other settings are not its
 * to read (the codec hands them to the stream, tested in Lz4FrameCompressionCodecTest).
 */
class Lz4FrameReaderTest {
  private static byte[] sample(int length, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      // Runs and short repeats: the short-offset matches real columns are full of.
      data[i] = (byte) (i % 3 == 0 ? random.nextInt(4) : (i / 5) % 7);
    }
    return data;
  }

  private static byte[] cairnFrame(byte[] data) {
    Lz4FrameWriter writer = Lz4FrameWriter.forThisThread();
    System.arraycopy(data, 0, writer.inputScratch(data.length), 0, data.length);
    writer.writeFrame(data.length);
    return Arrays.copyOf(writer.frame(), writer.frameLength());
  }

  private static byte[] read(byte[] frame, int declared) {
    assertTrue(Lz4FrameReader.readsFlags(frame, frame.length));
    byte[] out = new byte[declared];
    Lz4FrameReader.read(frame, frame.length, out, declared);
    return out;
  }

  @Test
  void readsEveryFrameSizeAroundTheBlockBoundaries() {
    for (int length : new int[] {1, 7, 65_535, 65_536, 65_537, 131_072, 300_001}) {
      byte[] data = sample(length, length);
      assertArrayEquals(data, read(cairnFrame(data), length), "length " + length);
      byte[] random = new byte[length];
      new Random(length).nextBytes(random); // incompressible: raw blocks
      assertArrayEquals(random, read(cairnFrame(random), length), "raw, length " + length);
    }
  }

  @Test
  void everyTruncationAndTrailingByteIsBadFormat() {
    byte[] data = sample(70_000, 1);
    byte[] frame = cairnFrame(data);
    for (int cut = 7; cut < frame.length; cut += 97) {
      byte[] shorter = Arrays.copyOf(frame, cut);
      assertBad(shorter, data.length);
    }
    assertBad(Arrays.copyOf(frame, frame.length + 1), data.length);
  }

  @Test
  void aWrongDeclaredLengthIsBadFormat() {
    byte[] data = sample(70_000, 2);
    byte[] frame = cairnFrame(data);
    assertBad(frame, data.length - 1);
    assertBad(frame, data.length + 1);
  }

  @Test
  void damagedChecksumsAndBlockLengthsAreBadFormat() {
    byte[] data = sample(70_000, 3);
    byte[] frame = cairnFrame(data);
    byte[] header = frame.clone();
    header[6] ^= 1;
    assertTrue(assertBad(header, data.length).contains("header checksum"));
    byte[] content = frame.clone();
    content[content.length - 1] ^= 1;
    assertTrue(assertBad(content, data.length).contains("content checksum"));
    byte[] hugeBlock = frame.clone();
    hugeBlock[7 + 2] = 0x7f; // the first block length becomes several MB
    assertBad(hugeBlock, data.length);
    for (int i = 11; i < frame.length - 4; i += 211) {
      byte[] flipped = frame.clone();
      flipped[i] ^= 0x5a;
      try {
        byte[] out = new byte[data.length];
        Lz4FrameReader.read(flipped, flipped.length, out, data.length);
        // A flip that still decodes must have been caught by the content checksum.
        assertArrayEquals(data, out, "flip at " + i + " accepted with other bytes");
      } catch (CairnException e) {
        assertEquals(ErrorCode.BAD_FORMAT, e.code());
      }
    }
  }

  @Test
  void framesWithOtherSettingsAreLeftToTheStreamReader() throws IOException {
    byte[] data = sample(10_000, 4);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out,
        LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, data.length,
        LZ4Factory.safeInstance().fastCompressor(), XXHashFactory.safeInstance().hash32(),
        LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
        LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
        LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE)) {
      lz4.write(data);
    }
    byte[] frame = out.toByteArray();
    assertEquals(false, Lz4FrameReader.readsFlags(frame, frame.length));
  }

  private static String assertBad(byte[] frame, int declared) {
    CairnException e = assertThrows(CairnException.class,
        () -> Lz4FrameReader.read(frame, frame.length, new byte[declared], declared));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    return e.getMessage();
  }
}
