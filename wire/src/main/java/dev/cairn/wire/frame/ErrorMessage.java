package dev.cairn.wire.frame;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.BusyException;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The payload of an {@link FrameType#ERROR} frame (docs/protocol.md, "Errors").
 *
 * <pre>
 * u16    code              {@link ErrorCode#code()}
 * string message           u16 length + UTF-8, at most {@value #MESSAGE_BYTES_MAX} bytes
 * u32    retryAfterMillis  only for BUSY, and only when not 0: when to try this peer again
 * </pre>
 *
 * <p>The message is the detail without the code name; the receiver's {@link #toException()}
 * puts the name back in front. Example: NOT_FOUND with "blob abc" is {@code 000c 0008
 * 626c6f6220616263} and becomes {@code CairnException("NOT_FOUND: blob abc")}. A code this
 * version does not know decodes as {@link ErrorCode#INTERNAL}, so a newer peer's errors still
 * fail the request.
 *
 * @param code what failed
 * @param message the human explanation, without the code name
 * @param retryAfterMillis for BUSY, how long the sender asks to be left alone (0: no hint)
 */
public record ErrorMessage(ErrorCode code, String message, long retryAfterMillis) {
  /** Largest message in bytes of UTF-8. */
  public static final int MESSAGE_BYTES_MAX = 4096;
  /** Largest retry hint: about 49 days, what a u32 of milliseconds holds. */
  public static final long RETRY_AFTER_MILLIS_MAX = 0xffffffffL;

  /** Rejects a message that cannot travel (BAD_FORMAT); {@link #truncating} fits any text. */
  public ErrorMessage {
    requireNonNull(code, "code");
    requireNonNull(message, "message");
    if (retryAfterMillis < 0 || retryAfterMillis > RETRY_AFTER_MILLIS_MAX) {
      throw new IllegalArgumentException("retryAfterMillis out of range: " + retryAfterMillis);
    }
    if (retryAfterMillis != 0 && code != ErrorCode.BUSY) {
      throw new IllegalArgumentException("only BUSY carries a retry hint, not " + code);
    }
    int bytes = Payloads.utf8(message).length;
    if (bytes > MESSAGE_BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "error message is " + bytes + " bytes, the maximum is " + MESSAGE_BYTES_MAX);
    }
  }

  /** Creates an error without a retry hint. */
  public ErrorMessage(ErrorCode code, String message) {
    this(code, message, 0);
  }

  /** Returns a BUSY error asking the receiver to retry after {@code retryAfterMillis}. */
  public static ErrorMessage busy(String message, long retryAfterMillis) {
    return new ErrorMessage(ErrorCode.BUSY, truncating(ErrorCode.BUSY, message).message(),
        retryAfterMillis);
  }

  /**
   * Returns an error whose message is {@code message} cut to fit {@link #MESSAGE_BYTES_MAX}
   * bytes at a character boundary, with unpaired surrogates replaced by U+FFFD, so that any
   * exception text can be sent.
   */
  public static ErrorMessage truncating(ErrorCode code, String message) {
    StringBuilder kept = new StringBuilder();
    int bytes = 0;
    for (int index = 0; index < message.length(); ) {
      int codePoint = message.codePointAt(index);
      index += Character.charCount(codePoint);
      if (codePoint < 0x10000 && Character.isSurrogate((char) codePoint)) {
        codePoint = 0xFFFD;
      }
      bytes += utf8Bytes(codePoint);
      if (bytes > MESSAGE_BYTES_MAX) {
        break;
      }
      kept.appendCodePoint(codePoint);
    }
    return new ErrorMessage(code, kept.toString());
  }

  /** Returns the error to send for {@code exception}, with its retry hint if it has one. */
  public static ErrorMessage of(CairnException exception) {
    if (exception instanceof BusyException busy && busy.retryAfterMillis() > 0) {
      return busy(exception.detail(), Math.min(busy.retryAfterMillis(), RETRY_AFTER_MILLIS_MAX));
    }
    return truncating(exception.code(), exception.detail());
  }

  /** Appends this payload to {@code buffer}. */
  public void writeTo(ByteBuf buffer) {
    buffer.writeShort(code.code());
    Payloads.writeString(buffer, message, MESSAGE_BYTES_MAX);
    if (retryAfterMillis != 0) {
      buffer.writeInt((int) retryAfterMillis);
    }
  }

  /** Returns this error as an ERROR frame answering {@code requestId} (0: the connection). */
  public Frame toFrame(long requestId, ByteBufAllocator allocator) {
    ByteBuf payload = allocator.buffer();
    try {
      writeTo(payload);
    } catch (RuntimeException e) {
      payload.release();
      throw e;
    }
    return Frame.of(FrameType.ERROR, requestId, payload);
  }

  /** Decodes a whole ERROR payload, consuming it; malformed input is {@code BAD_FRAME}. */
  public static ErrorMessage decode(ByteBuf payload) {
    ErrorCode code = ErrorCode.fromCode(Payloads.readU16(payload, "ERROR code"));
    String message = Payloads.readString(payload, MESSAGE_BYTES_MAX, "ERROR message");
    long retryAfterMillis = 0;
    if (code == ErrorCode.BUSY && payload.readableBytes() == 4) {
      retryAfterMillis = payload.readUnsignedInt();
    }
    Payloads.requireFullyRead(payload, "ERROR payload");
    return new ErrorMessage(code, message, retryAfterMillis);
  }

  /**
   * Returns the failure the peer reported, to throw on the receiving side: a {@link
   * BusyException} carrying the hint for BUSY.
   */
  public CairnException toException() {
    if (code == ErrorCode.BUSY) {
      return new BusyException(message, retryAfterMillis);
    }
    return new CairnException(code, message);
  }

  private static int utf8Bytes(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }
}
