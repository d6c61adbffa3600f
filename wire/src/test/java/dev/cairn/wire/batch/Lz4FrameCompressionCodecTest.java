package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.Random;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Lz4FrameCompressionCodecTest {
  private final BufferAllocator allocator = new RootAllocator();
  private final CompressionCodec ours = new Lz4FrameCompressionCodec();
  private final CompressionCodec arrows =
      CommonsCompressionFactory.INSTANCE.createCodec(CodecType.LZ4_FRAME);

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private static byte[] sample(int length, boolean compressible, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (compressible ? (i / 7) % 13 + random.nextInt(2) : random.nextInt());
    }
    return data;
  }

  private ArrowBuf buffer(byte[] data) {
    ArrowBuf buf = allocator.buffer(Math.max(1, data.length));
    buf.setBytes(0, data);
    buf.writerIndex(data.length);
    return buf;
  }

  private byte[] roundTrip(byte[] data, CompressionCodec writer, CompressionCodec reader) {
    ArrowBuf compressed = writer.compress(allocator, buffer(data));
    try (ArrowBuf plain = reader.decompress(allocator, compressed)) {
      byte[] out = new byte[(int) plain.writerIndex()];
      plain.getBytes(0, out);
      return out;
    }
  }

  @ParameterizedTest
  // Multi-block sizes stay small: commons-compress' pure Java LZ4 is slow on random bytes.
  @ValueSource(ints = {0, 1, 100, 65_536, 65_537, 200_000})
  void interoperatesWithArrowsCodecBothWays(int length) {
    for (boolean compressible : new boolean[] {true, false}) {
      byte[] data = sample(length, compressible, length);
      assertArrayEquals(data, roundTrip(data, ours, arrows), "ours -> Arrow's");
      assertArrayEquals(data, roundTrip(data, arrows, ours), "Arrow's -> ours");
      assertArrayEquals(data, roundTrip(data, ours, ours), "ours -> ours");
    }
  }

  @Test
  void incompressibleBufferIsStoredRawWithMinusOne() {
    byte[] data = sample(1000, false, 1);
    try (ArrowBuf compressed = ours.compress(allocator, buffer(data))) {
      assertEquals(-1L, compressed.getLong(0));
      assertEquals(8 + data.length, compressed.writerIndex());
    }
  }

  @Test
  void frameHeaderHasTheDocumentedFlags() {
    try (ArrowBuf compressed = ours.compress(allocator, buffer(sample(4096, true, 2)))) {
      assertEquals(4096L, compressed.getLong(0));
      assertEquals(0x184D2204, compressed.getInt(8), "LZ4 frame magic");
      assertEquals(0x64, compressed.getByte(12) & 0xff, "FLG: v1, independent, content sum");
      assertEquals(0x40, compressed.getByte(13) & 0xff, "BD: 64 KiB blocks");
    }
  }

  private CairnException decompressForged(long declared, byte[] frame) {
    ArrowBuf forged = allocator.buffer(8 + frame.length);
    forged.setLong(0, declared);
    forged.setBytes(8, frame);
    forged.writerIndex(8 + frame.length);
    try {
      return assertThrows(CairnException.class, () -> ours.decompress(allocator, forged));
    } finally {
      forged.close();
    }
  }

  @Test
  void refusesOversizedOrNegativeLengthsBeforeAllocating() {
    byte[] frame = frameOf(sample(100, true, 3));
    for (long declared : new long[] {BatchLimits.DECODED_BUFFER_BYTES_MAX + 1, Long.MAX_VALUE,
        -2, Long.MIN_VALUE}) {
      assertEquals(ErrorCode.BAD_FORMAT, decompressForged(declared, frame).code());
    }
  }

  @Test
  void refusesALengthTheFrameDoesNotMatch() {
    byte[] frame = frameOf(sample(100, true, 4));
    assertEquals(ErrorCode.BAD_FORMAT, decompressForged(99, frame).code());
    assertEquals(ErrorCode.BAD_FORMAT, decompressForged(101, frame).code());
    frame[frame.length / 2] ^= 0x55;
    assertEquals(ErrorCode.BAD_FORMAT, decompressForged(100, frame).code());
  }

  @Test
  void decodesValidFramesWithOtherSettingsThroughTheStreamReader() throws Exception {
    byte[] data = sample(150_000, true, 6);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (net.jpountz.lz4.LZ4FrameOutputStream lz4 = new net.jpountz.lz4.LZ4FrameOutputStream(
        out, net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB, data.length,
        net.jpountz.lz4.LZ4Factory.safeInstance().fastCompressor(),
        net.jpountz.xxhash.XXHashFactory.safeInstance().hash32(),
        net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
        net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
        net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE,
        net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
      lz4.write(data);
    }
    byte[] frame = out.toByteArray();
    ArrowBuf framed = allocator.buffer(8 + frame.length);
    framed.setLong(0, data.length);
    framed.setBytes(8, frame);
    framed.writerIndex(8 + frame.length);
    try (ArrowBuf plain = ours.decompress(allocator, framed)) {
      byte[] read = new byte[(int) plain.writerIndex()];
      plain.getBytes(0, read);
      assertArrayEquals(data, read);
    }
  }

  @Test
  void refusesABufferShorterThanItsPrefix() {
    ArrowBuf tiny = buffer(new byte[] {1, 2, 3});
    try {
      CairnException e = assertThrows(CairnException.class, () -> ours.decompress(allocator, tiny));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    } finally {
      tiny.close();
    }
  }

  @Test
  void blobBudgetBoundsTheTotal() {
    CompressionCodec budgeted = new Lz4FrameCompressionCodec(new DecodeBudget(15_000));
    byte[] data = sample(10_000, true, 5);
    ArrowBuf first = budgeted.decompress(allocator, ours.compress(allocator, buffer(data)));
    first.close();
    ArrowBuf second = ours.compress(allocator, buffer(data));
    CairnException e = assertThrows(CairnException.class,
        () -> budgeted.decompress(allocator, second));
    second.close();
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  @Test
  void factoryGivesOurCodecsAndRefusesZstd() {
    CairnCompressionFactory factory = CairnCompressionFactory.INSTANCE;
    assertEquals(Lz4FrameCompressionCodec.class,
        factory.createCodec(CodecType.LZ4_FRAME).getClass());
    assertEquals(NoCompressionCodec.INSTANCE, factory.createCodec(CodecType.NO_COMPRESSION));
    CairnException e = assertThrows(CairnException.class,
        () -> factory.createCodec(CodecType.ZSTD));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertThrows(CairnException.class, () -> factory.createCodec(CodecType.ZSTD, 3));
  }

  private byte[] frameOf(byte[] data) {
    try (ArrowBuf compressed = ours.compress(allocator, buffer(data))) {
      byte[] frame = new byte[(int) compressed.writerIndex() - 8];
      compressed.getBytes(8, frame);
      return frame;
    }
  }
}
