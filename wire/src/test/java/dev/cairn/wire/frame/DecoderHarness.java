package dev.cairn.wire.frame;

import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Set;

/**
 * Feeds arbitrary bytes to a {@link FrameDecoder} in chunks and checks what must hold for any
 * input: only frames or {@link FrameException}s come out (anything else propagates and fails
 * the caller), every frame fits the bytes given, the decoder's memory stays within a small
 * multiple of the bytes given, and nothing is left allocated at the end.
 */
final class DecoderHarness {
  private static final Set<ErrorCode> FRAMING_CODES =
      Set.of(ErrorCode.BAD_FRAME, ErrorCode.FRAME_TOO_LARGE, ErrorCode.UNKNOWN_TYPE);
  /** Netty's smallest cumulation buffer; below this the "2 x bytes given" bound is too tight. */
  private static final long CUMULATION_BYTES_MIN = 64;

  private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
  private final EmbeddedChannel channel = FrameChannels.decoding(allocator);
  private long bytesGiven;
  private long frameBytesDecoded;
  private int frames;
  private int failures;

  private DecoderHarness() {}

  /** Runs {@code stream} through a fresh decoder in chunks of {@code chunkBytes} (at least 1). */
  static DecoderHarness run(byte[] stream, int chunkBytes) {
    DecoderHarness harness = new DecoderHarness();
    for (int offset = 0; offset < stream.length; offset += chunkBytes) {
      int length = Math.min(chunkBytes, stream.length - offset);
      harness.feed(Unpooled.wrappedBuffer(stream, offset, length));
    }
    harness.close();
    return harness;
  }

  int frames() {
    return frames;
  }

  int failures() {
    return failures;
  }

  private void feed(ByteBuf chunk) {
    bytesGiven += chunk.readableBytes();
    try {
      channel.writeInbound(chunk);
    } catch (FrameException e) {
      check(e);
    }
    takeFrames();
    long used = used();
    check(used <= Math.max(CUMULATION_BYTES_MIN, 2 * bytesGiven),
        "decoder holds " + used + " bytes after being given " + bytesGiven);
  }

  private void close() {
    try {
      channel.finish();
    } catch (FrameException e) {
      check(e);
    }
    takeFrames();
    check(failures <= 1, failures + " exceptions; after the first the stream is discarded");
    check(used() == 0, "the decoder leaked " + used() + " bytes");
  }

  private void takeFrames() {
    for (Object in; (in = channel.readInbound()) != null; ) {
      Frame frame = (Frame) in;
      try {
        check(frame.type() != null, "frame without type");
        check(frame.payloadBytes() <= Frames.PAYLOAD_BYTES_MAX, "oversize " + frame);
        frameBytesDecoded += Frames.HEADER_BYTES + frame.payloadBytes();
        check(frameBytesDecoded <= bytesGiven, "frames hold more bytes than were given");
        frames++;
      } finally {
        frame.release();
      }
    }
  }

  private void check(FrameException e) {
    failures++;
    check(FRAMING_CODES.contains(e.code()), "unexpected code in " + e);
    check(e.getMessage().startsWith(e.code().name() + ": "), "message without code: " + e);
  }

  private long used() {
    ByteBufAllocatorMetric metric = allocator.metric();
    return metric.usedHeapMemory() + metric.usedDirectMemory();
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
