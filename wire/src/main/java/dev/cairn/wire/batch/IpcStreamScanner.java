package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Message;

/**
 * Splits a blob into the messages of an Arrow IPC stream without trusting any length in it.
 *
 * <p>Framing of the Arrow IPC streaming format, as we accept it: each message is the
 * continuation marker {@code 0xFFFFFFFF}, an int32 little-endian metadata length, that many
 * bytes of flatbuffer {@code Message} (which states the body length), then the body. The stream
 * ends with the marker followed by a zero length, and nothing may follow it. The legacy framing
 * without the marker is refused. Each length is checked against its limit and against the bytes
 * left before anything is allocated, which Arrow's own reader does not do.
 */
final class IpcStreamScanner {
  private static final int CONTINUATION_MARKER = 0xFFFFFFFF;

  /** One message: its metadata flatbuffer and where its body lies in the blob. */
  static final class IpcMessage {
    final Message metadata;
    final int bodyOffset;
    final int bodyLength;

    IpcMessage(Message metadata, int bodyOffset, int bodyLength) {
      this.metadata = metadata;
      this.bodyOffset = bodyOffset;
      this.bodyLength = bodyLength;
    }
  }

  private IpcStreamScanner() {
  }

  /** Returns the messages before end-of-stream, or throws BAD_FORMAT. */
  static List<IpcMessage> scan(byte[] blob) {
    ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    List<IpcMessage> messages = new ArrayList<>();
    while (true) {
      if (in.remaining() < 2 * Integer.BYTES) {
        throw bad("stream ends without the end-of-stream marker at byte " + in.position());
      }
      if (in.getInt() != CONTINUATION_MARKER) {
        throw bad("no continuation marker at byte " + (in.position() - Integer.BYTES));
      }
      int metadataLength = in.getInt();
      if (metadataLength == 0) {
        break;
      }
      if (metadataLength < 0 || metadataLength > BatchLimits.MESSAGE_METADATA_BYTES_MAX
          || metadataLength > in.remaining()) {
        throw bad("message metadata length " + metadataLength + " at byte "
            + (in.position() - Integer.BYTES) + " is negative, too large or past the end");
      }
      Message message = parseMessage(in, metadataLength);
      long bodyLength = message.bodyLength();
      if (bodyLength < 0 || bodyLength > in.remaining()) {
        throw bad("message body length " + bodyLength + " exceeds the " + in.remaining()
            + " bytes left");
      }
      messages.add(new IpcMessage(message, in.position(), (int) bodyLength));
      in.position(in.position() + (int) bodyLength);
    }
    if (in.hasRemaining()) {
      throw bad(in.remaining() + " bytes after the end-of-stream marker");
    }
    return messages;
  }

  private static Message parseMessage(ByteBuffer in, int metadataLength) {
    ByteBuffer metadata = in.slice();
    metadata.limit(metadataLength);
    in.position(in.position() + metadataLength);
    try {
      Message message = Message.getRootAsMessage(metadata.order(ByteOrder.LITTLE_ENDIAN));
      message.headerType(); // touch the fields we rely on so garbage fails here
      message.bodyLength();
      return message;
    } catch (RuntimeException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "unreadable IPC message metadata", e);
    }
  }

  private static CairnException bad(String detail) {
    return new CairnException(ErrorCode.BAD_FORMAT, "Arrow IPC stream: " + detail);
  }
}
