package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/** Our frame writer must give exactly lz4-java's frame stream bytes: content ids depend on it. */
class Lz4FrameWriterTest {
  private static byte[] streamFrame(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out,
        LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, 0L,
        LZ4Factory.safeInstance().fastCompressor(), XXHashFactory.safeInstance().hash32(),
        LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
        LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
      lz4.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] ourFrame(Lz4FrameWriter writer, byte[] data) {
    System.arraycopy(data, 0, writer.inputScratch(data.length), 0, data.length);
    writer.writeFrame(data.length);
    return Arrays.copyOf(writer.frame(), writer.frameLength());
  }

  @Test
  void framesEqualLz4JavasStreamAcrossSizesAndContents() throws IOException {
    Random random = new Random(20);
    Lz4FrameWriter writer = new Lz4FrameWriter();
    int block = Lz4FrameWriter.BLOCK_BYTES;
    int[] sizes = {1, 2, 13, 100, 4095, block - 1, block, block + 1, 2 * block, 3 * block + 17,
        5 * block - 3};
    for (int kind = 0; kind < 3; kind++) {
      // Sizes go up and down, so scratch left from a larger buffer is reused.
      for (int size : sizes) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
          data[i] = (byte) switch (kind) {
            case 0 -> random.nextInt(256);
            case 1 -> (i / 7) % 13 + random.nextInt(2);
            default -> i % 3 == 0 ? 0 : random.nextInt(3);
          };
        }
        assertArrayEquals(streamFrame(data), ourFrame(writer, data), "kind " + kind + " size "
            + size);
      }
    }
  }
}
