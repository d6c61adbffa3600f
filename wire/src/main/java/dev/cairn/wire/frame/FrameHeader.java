package dev.cairn.wire.frame;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.ErrorCode;

/**
 * An outbound message that makes {@link FrameEncoder} write only the 13 header bytes of a frame
 * (length, type, requestId) whose payload the caller writes next by other means, typically a
 * {@code DefaultFileRegion} so that a blob goes from disk to socket without being copied
 * through the heap.
 *
 * <pre>
 * channel.write(new FrameHeader(FrameType.BLOB_DATA, requestId, (int) file.length()));
 * channel.writeAndFlush(new DefaultFileRegion(file, 0, file.length()));
 * </pre>
 *
 * <p>The caller must write exactly {@code payloadBytes} bytes right after the header, with no
 * other write in between; otherwise the peer reads garbage and closes the connection.
 *
 * @param type the frame type
 * @param requestId the request id
 * @param payloadBytes how many payload bytes follow, 0 to {@link Frames#PAYLOAD_BYTES_MAX}
 */
public record FrameHeader(FrameType type, long requestId, int payloadBytes) {
  /** Checks the payload size up front, so an oversize body fails before anything is sent. */
  public FrameHeader {
    requireNonNull(type, "type");
    if (payloadBytes < 0) {
      throw new FrameException(ErrorCode.BAD_FRAME, "negative payload size " + payloadBytes);
    }
    if (payloadBytes > Frames.PAYLOAD_BYTES_MAX) {
      throw new FrameException(ErrorCode.FRAME_TOO_LARGE, "payload of " + payloadBytes
          + " bytes exceeds the maximum " + Frames.PAYLOAD_BYTES_MAX);
    }
  }
}
