package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * The Arrow compression codecs Cairn supports: {@code LZ4_FRAME} (what batch blobs use) through
 * {@link Lz4FrameCompressionCodec}, and {@code NO_COMPRESSION}. ZSTD and anything else is
 * refused with BAD_FORMAT: wire has no ZSTD implementation, and a blob must be readable by
 * every Cairn reader. Hand it to Arrow's {@code ArrowStreamReader} or {@code ArrowStreamWriter}.
 */
public final class CairnCompressionFactory implements CompressionCodec.Factory {
  /** A factory whose codecs bound each decompressed buffer but not a blob's total. */
  public static final CairnCompressionFactory INSTANCE = new CairnCompressionFactory();

  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
    switch (codecType) {
      case NO_COMPRESSION:
        return NoCompressionCodec.INSTANCE;
      case LZ4_FRAME:
        return new Lz4FrameCompressionCodec();
      default:
        throw new CairnException(ErrorCode.BAD_FORMAT,
            "Arrow body compression " + codecType + " is not supported; use LZ4_FRAME");
    }
  }

  /** LZ4 has no level in Arrow's IPC format: the level is ignored. */
  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int level) {
    return createCodec(codecType);
  }
}
