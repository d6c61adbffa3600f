package dev.cairn.wire.frame;

import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts a TCP byte stream into {@link Frame}s (docs/protocol.md, section 6).
 *
 * <pre>
 * bytes in:  00000009 03 0102030405060708  00000009 04 0102030405060708
 * frames out: Frame[PING, requestId=72623859790382856, payloadBytes=0]
 *             Frame[PONG, requestId=72623859790382856, payloadBytes=0]
 * </pre>
 *
 * <p>Design: the input is hostile, so every check happens at the earliest byte that decides it.
 * The length is checked as soon as its 4 bytes are in, and the type as soon as its byte is in,
 * so an absurd length or an unknown type fails at once instead of making the decoder buffer
 * (and wait for) up to {@link Frames#FRAME_BYTES_MAX} bytes first. The decoder never allocates:
 * a payload is a retained slice of the bytes Netty already accumulated.
 *
 * <p>Errors throw {@link FrameException}: {@code BAD_FRAME} for a length below 9 or a stream
 * that ends inside a frame, {@code FRAME_TOO_LARGE} for a length above the maximum, {@code
 * UNKNOWN_TYPE} for a type code not in {@link FrameType}. After the first error the stream has
 * no trustworthy frame boundary left, so the decoder discards everything that follows; the
 * connection is expected to be closed (see {@link ConnectionErrorHandler}).
 *
 * <p>Bytes accumulate as a composite of the buffers the socket was read into, not one merged
 * buffer: merging grows a fresh buffer by doubling and copies everything read so far at each
 * step, and above the allocator's pooled sizes each of those buffers is new native memory that
 * is zeroed and faulted in, per 4 MiB PUT_BLOB on every donor. A payload is then a slice over those read buffers; consumers that need
 * NIO buffers take {@link ByteBuf#nioBuffers()} (one per read buffer, no copy). A peer that
 * trickles bytes cannot make one component per byte: past {@link #COMPONENTS_MAX} components
 * the newest {@link #COMPONENTS_MERGED} are merged into one, so the count stays bounded and
 * every byte is copied a bounded number of times.
 *
 * <p>Not sharable: it holds the bytes of a partial frame. Use one per channel.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  /** Most read buffers a partial frame is kept in before the newest are merged. */
  static final int COMPONENTS_MAX = 1024;
  /** How many of the newest read buffers one merge joins. */
  static final int COMPONENTS_MERGED = 512;

  /** Composite accumulation with the component bound of the class comment. */
  private static final Cumulator BOUNDED_COMPOSITE = (allocator, cumulation, in) -> {
    ByteBuf merged = COMPOSITE_CUMULATOR.cumulate(allocator, cumulation, in);
    if (merged instanceof CompositeByteBuf composite
        && composite.numComponents() > COMPONENTS_MAX) {
      composite.consolidate(composite.numComponents() - COMPONENTS_MERGED, COMPONENTS_MERGED);
    }
    return merged;
  };

  private boolean failed;

  /** A decoder that accumulates reads without copying them (see the class comment). */
  public FrameDecoder() {
    setCumulator(BOUNDED_COMPOSITE);
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < Frames.LENGTH_FIELD_BYTES) {
      return;
    }
    int start = in.readerIndex();
    long length = in.getUnsignedInt(start);
    checkLength(in, length);
    if (in.readableBytes() < Frames.LENGTH_FIELD_BYTES + 1) {
      return;
    }
    FrameType type = typeAt(in, start + Frames.LENGTH_FIELD_BYTES);
    if (in.readableBytes() < Frames.LENGTH_FIELD_BYTES + length) {
      return;
    }
    long requestId = in.getLong(start + Frames.LENGTH_FIELD_BYTES + 1);
    in.skipBytes(Frames.HEADER_BYTES);
    int payloadBytes = (int) length - Frames.TYPE_AND_REQUEST_ID_BYTES;
    out.add(Frame.of(type, requestId, in.readRetainedSlice(payloadBytes)));
  }

  /** Decodes what is left when the channel closes; any leftover byte is a truncated frame. */
  @Override
  protected void decodeLast(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int framesBefore = out.size();
      int readableBefore = in.readableBytes();
      decode(context, in, out);
      if (out.size() == framesBefore && in.readableBytes() == readableBefore) {
        throw truncated(in);
      }
    }
  }

  private void checkLength(ByteBuf in, long length) {
    if (length < Frames.TYPE_AND_REQUEST_ID_BYTES) {
      throw fail(in, ErrorCode.BAD_FRAME, "frame length " + length + " is below the minimum "
          + Frames.TYPE_AND_REQUEST_ID_BYTES);
    }
    if (length > Frames.FRAME_BYTES_MAX) {
      throw fail(in, ErrorCode.FRAME_TOO_LARGE, "frame length " + length
          + " exceeds the maximum " + Frames.FRAME_BYTES_MAX);
    }
  }

  private FrameType typeAt(ByteBuf in, int index) {
    try {
      return FrameType.fromCode(in.getUnsignedByte(index));
    } catch (FrameException e) {
      throw fail(in, e.code(), e.detail());
    }
  }

  private FrameException truncated(ByteBuf in) {
    int have = in.readableBytes();
    String expected = have < Frames.LENGTH_FIELD_BYTES
        ? "at least " + Frames.HEADER_BYTES
        : String.valueOf(Frames.LENGTH_FIELD_BYTES + in.getUnsignedInt(in.readerIndex()));
    return fail(in, ErrorCode.BAD_FRAME, "truncated frame: " + have + " of " + expected
        + " bytes");
  }

  /** Enters the failed state: drops the buffered bytes so nothing lingers after the error. */
  private FrameException fail(ByteBuf in, ErrorCode code, String detail) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return new FrameException(code, detail);
  }
}
