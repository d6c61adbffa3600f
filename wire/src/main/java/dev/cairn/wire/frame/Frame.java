package dev.cairn.wire.frame;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * One decoded or to-be-encoded frame: its {@link FrameType}, the {@code u64 requestId} that
 * pairs a reply with its request, and the payload bytes.
 *
 * <p>Ownership: a {@code Frame} owns its payload buffer and its reference count is the
 * payload's. Whoever receives a frame from the pipeline must {@link #release()} it (or pass it
 * on); writing a frame to a channel hands ownership to the encoder. {@link #payload()} returns
 * the owned buffer itself, valid until the frame is released: read it, or {@code
 * retainedSlice()} it to keep bytes longer.
 *
 * <p>Example: {@code Frame.empty(FrameType.PING, 7)} encodes as {@code 00000009 03
 * 0000000000000007}.
 */
public final class Frame implements ReferenceCounted {
  private final FrameType type;
  private final long requestId;
  private final ByteBuf payload;

  private Frame(FrameType type, long requestId, ByteBuf payload) {
    this.type = type;
    this.requestId = requestId;
    this.payload = payload;
  }

  /**
   * Creates a frame that takes ownership of {@code payload}'s readable bytes. A payload over
   * {@link Frames#PAYLOAD_BYTES_MAX} is released and refused with {@code FRAME_TOO_LARGE}.
   */
  public static Frame of(FrameType type, long requestId, ByteBuf payload) {
    requireNonNull(payload, "payload");
    if (payload.readableBytes() > Frames.PAYLOAD_BYTES_MAX) {
      int bytes = payload.readableBytes();
      payload.release();
      throw new FrameException(ErrorCode.FRAME_TOO_LARGE,
          "payload of " + bytes + " bytes exceeds the maximum " + Frames.PAYLOAD_BYTES_MAX);
    }
    return new Frame(requireNonNull(type, "type"), requestId, payload);
  }

  /** Creates a frame with no payload, e.g. a PING. */
  public static Frame empty(FrameType type, long requestId) {
    return new Frame(requireNonNull(type, "type"), requestId, Unpooled.EMPTY_BUFFER);
  }

  /** Returns the frame type. */
  public FrameType type() {
    return type;
  }

  /** Returns the request id; 0 for connection-level frames (HELLO, connection errors). */
  public long requestId() {
    return requestId;
  }

  /** Returns the owned payload buffer (not a copy); valid until this frame is released. */
  public ByteBuf payload() {
    return payload;
  }

  /** Returns the number of payload bytes still readable. */
  public int payloadBytes() {
    return payload.readableBytes();
  }

  @Override
  public int refCnt() {
    return payload.refCnt();
  }

  @Override
  public Frame retain() {
    payload.retain();
    return this;
  }

  @Override
  public Frame retain(int increment) {
    payload.retain(increment);
    return this;
  }

  @Override
  public Frame touch() {
    payload.touch();
    return this;
  }

  @Override
  public Frame touch(Object hint) {
    payload.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return payload.release();
  }

  @Override
  public boolean release(int decrement) {
    return payload.release(decrement);
  }

  @Override
  public String toString() {
    return "Frame[" + type + ", requestId=" + Long.toUnsignedString(requestId)
        + ", payloadBytes=" + payload.readableBytes() + "]";
  }
}
