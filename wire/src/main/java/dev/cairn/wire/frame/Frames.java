package dev.cairn.wire.frame;

import io.netty.channel.ChannelPipeline;

/**
 * Limits of the frame layout and the one way to install the codec in a pipeline.
 *
 * <pre>
 * +------------+---------+---------------+----------------------------+
 * | u32 length | u8 type | u64 requestId | payload (length - 9 bytes) |
 * +------------+---------+---------------+----------------------------+
 *  length counts every byte after itself: 9 + payload bytes.
 * </pre>
 */
public final class Frames {
  /** Size of the length prefix. */
  public static final int LENGTH_FIELD_BYTES = 4;
  /** Bytes the length always counts: u8 type and u64 requestId; the smallest legal length. */
  public static final int TYPE_AND_REQUEST_ID_BYTES = 1 + 8;
  /** Bytes before the payload: length, type and requestId. */
  public static final int HEADER_BYTES = LENGTH_FIELD_BYTES + TYPE_AND_REQUEST_ID_BYTES;
  /**
   * Largest legal value of the length field. A blob body of up to 32 MiB travels in one frame;
   * the 4 KiB on top leave room for the request fields that accompany it.
   */
  public static final int FRAME_BYTES_MAX = 32 * 1024 * 1024 + 4 * 1024;
  /** Largest payload a frame can carry. */
  public static final int PAYLOAD_BYTES_MAX = FRAME_BYTES_MAX - TYPE_AND_REQUEST_ID_BYTES;

  /** Pipeline name of the {@link FrameDecoder} installed by {@link #addCodec}. */
  public static final String DECODER_NAME = "cairn-frame-decoder";
  /** Pipeline name of the {@link FrameEncoder} installed by {@link #addCodec}. */
  public static final String ENCODER_NAME = "cairn-frame-encoder";

  private Frames() {}

  /**
   * Appends a fresh {@link FrameDecoder} and the shared {@link FrameEncoder} under {@link
   * #DECODER_NAME} and {@link #ENCODER_NAME}, so that every server and client pipeline looks
   * the same. Add the handshake and request handlers after this, and a {@link
   * ConnectionErrorHandler} last.
   */
  public static ChannelPipeline addCodec(ChannelPipeline pipeline) {
    return pipeline
        .addLast(DECODER_NAME, new FrameDecoder())
        .addLast(ENCODER_NAME, FrameEncoder.INSTANCE);
  }
}
