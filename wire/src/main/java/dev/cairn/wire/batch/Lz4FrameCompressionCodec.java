package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Arrow IPC body compression {@code LZ4_FRAME} implemented with lz4-java.
 *
 * <p>Byte layout of one compressed buffer, as the Arrow IPC format's body compression defines
 * it (and {@link AbstractCompressionCodec} writes it): an 8-byte little-endian signed length
 * of the uncompressed data, then either one complete LZ4 frame, or, when the length is -1, the
 * raw bytes (Arrow stores a buffer raw when compressing would make it larger). A zero length
 * means an empty buffer with nothing after the prefix.
 *
 * <p>The frame we write: LZ4 frame format version 1, 64 KiB independent blocks, no block
 * checksums, no content size, a content checksum (xxHash32), no dictionary. These are the same
 * flags as the default of commons-compress, which Arrow's own Java codec uses, so both read
 * each other's output. Blocks are compressed by {@link Lz4BlockCompressor} (byte for byte
 * lz4-java's pure Java compressor) and hashed by {@link XxHash32} (ours, pure Java too), never
 * a native library, so the compressed bytes (and thus a blob's content id) do not depend on
 * the platform. Frames are written by {@link Lz4FrameWriter}, byte for byte what lz4-java's frame
 * stream writes, into scratch arrays each thread reuses. Frames with exactly these settings
 * are read by {@link Lz4FrameReader} (the fastest decoder on the platform: decompressed bytes
 * do not depend on the decoder); any other valid frame by lz4-java's stream reader.
 *
 * <p>Decompression treats the input as hostile: the declared length must be -1, 0, or between
 * 1 and {@link BatchLimits#DECODED_BUFFER_BYTES_MAX}, it is charged to the blob's
 * {@link DecodeBudget} before allocation, and the frame must produce exactly that many bytes.
 * Every failure is a {@link CairnException} with {@link ErrorCode#BAD_FORMAT}.
 */
public final class Lz4FrameCompressionCodec extends AbstractCompressionCodec {
  private static final int PREFIX_BYTES = (int) CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;

  private final LZ4SafeDecompressor decompressor = LZ4Factory.safeInstance().safeDecompressor();
  private final XXHash32 hash = XXHashFactory.safeInstance().hash32();
  private final DecodeBudget budget;

  /** Creates a codec whose decompression is bounded per buffer only. */
  public Lz4FrameCompressionCodec() {
    this(DecodeBudget.unlimited());
  }

  Lz4FrameCompressionCodec(DecodeBudget budget) {
    this.budget = budget;
  }

  @Override
  public CompressionUtil.CodecType getCodecType() {
    return CompressionUtil.CodecType.LZ4_FRAME;
  }

  @Override
  protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
    long length = uncompressed.writerIndex();
    if (length > BatchLimits.DECODED_BUFFER_BYTES_MAX) {
      // Refuse to write what no Cairn reader would accept.
      throw new CairnException(ErrorCode.BAD_FORMAT, "an Arrow buffer of " + length
          + " bytes exceeds the " + BatchLimits.DECODED_BUFFER_BYTES_MAX + "-byte limit");
    }
    Lz4FrameWriter writer = Lz4FrameWriter.forThisThread();
    byte[] input = writer.inputScratch((int) length);
    uncompressed.getBytes(0, input, 0, (int) length);
    writer.writeFrame((int) length);
    ArrowBuf compressed = allocator.buffer(PREFIX_BYTES + (long) writer.frameLength());
    compressed.setBytes(PREFIX_BYTES, writer.frame(), 0, writer.frameLength());
    compressed.writerIndex(PREFIX_BYTES + (long) writer.frameLength());
    // AbstractCompressionCodec writes the length prefix into the first 8 bytes.
    return compressed;
  }

  @Override
  public ArrowBuf decompress(BufferAllocator allocator, ArrowBuf compressed) {
    checkDeclaredLength(compressed);
    return super.decompress(allocator, compressed);
  }

  @Override
  protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
    long declared = checkDeclaredLength(compressed);
    budget.charge(declared);
    int frameLength = (int) (compressed.writerIndex() - PREFIX_BYTES);
    Scratch scratch = SCRATCH.get();
    byte[] frame = scratch.frame.copyOf(compressed, PREFIX_BYTES, frameLength);
    byte[] output = scratch.output.atLeast((int) declared);
    if (Lz4FrameReader.readsFlags(frame, frameLength)) {
      Lz4FrameReader.read(frame, frameLength, output, (int) declared);
    } else {
      inflate(frame, frameLength, output, (int) declared);
    }
    ArrowBuf result = allocator.buffer(declared);
    result.setBytes(0, output, 0, declared);
    result.writerIndex(declared);
    return result;
  }

  /** The arrays a decoding thread reuses for one buffer's frame and its output. */
  private static final class Scratch {
    final ReusedArray frame = new ReusedArray();
    final ReusedArray output = new ReusedArray();
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * Decodes one buffer of a record batch into a new buffer the caller owns, leaving
   * {@code compressed} untouched (unlike {@link #decompress}, which releases it).
   */
  ArrowBuf decodeToNewBuffer(BufferAllocator allocator, ArrowBuf compressed) {
    long declared = checkDeclaredLength(compressed);
    if (declared == 0) {
      return allocator.getEmpty();
    }
    if (declared == CompressionUtil.NO_COMPRESSION_LENGTH) {
      long rawLength = compressed.writerIndex() - PREFIX_BYTES;
      ArrowBuf raw = allocator.buffer(rawLength);
      raw.setBytes(0, compressed, PREFIX_BYTES, rawLength);
      raw.writerIndex(rawLength);
      return raw;
    }
    return doDecompress(allocator, compressed);
  }

  private long checkDeclaredLength(ArrowBuf compressed) {
    if (compressed.writerIndex() < PREFIX_BYTES) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "compressed Arrow buffer shorter than its 8-byte length prefix");
    }
    long declared = readUncompressedLength(compressed);
    if (declared == CompressionUtil.NO_COMPRESSION_LENGTH) {
      return declared;
    }
    if (declared < 0 || declared > BatchLimits.DECODED_BUFFER_BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "compressed Arrow buffer declares "
          + declared + " bytes; allowed are -1 or 0 to " + BatchLimits.DECODED_BUFFER_BYTES_MAX);
    }
    return declared;
  }

  /** Any valid single LZ4 frame, through lz4-java's general stream reader. */
  private void inflate(byte[] frame, int frameLength, byte[] output, int declaredLength) {
    ByteArrayInputStream source = new ByteArrayInputStream(frame, 0, frameLength);
    try (InputStream lz4 = new LZ4FrameInputStream(source, decompressor, hash, true)) {
      int filled = lz4.readNBytes(output, 0, declaredLength);
      if (filled != declaredLength || lz4.read() != -1 || source.available() != 0) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "LZ4 frame does not decompress to the "
            + declaredLength + " bytes its buffer declares");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CairnException) {
        throw (CairnException) e;
      }
      throw new CairnException(ErrorCode.BAD_FORMAT, "corrupt LZ4 frame: " + e.getMessage(), e);
    }
  }
}
