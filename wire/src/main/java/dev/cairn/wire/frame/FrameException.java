package dev.cairn.wire.frame;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * A byte stream that cannot be cut into frames: a length prefix out of bounds, an unknown frame
 * type, or a stream that ends inside a frame.
 *
 * <p>It extends Netty's {@link CorruptedFrameException} rather than {@link CairnException} so
 * that {@code ByteToMessageDecoder} passes it through unwrapped; like a {@code CairnException}
 * it carries an {@link ErrorCode} and its message starts with the code's name, e.g.
 * {@code "FRAME_TOO_LARGE: frame length 2147483647 exceeds the maximum 33558528"}.
 */
public final class FrameException extends CorruptedFrameException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception named {@code code} with a human explanation. */
  public FrameException(ErrorCode code, String detail) {
    super(requireNonNull(code, "code") + ": " + requireNonNull(detail, "detail"));
    this.code = code;
  }

  /** Returns the name of this failure. */
  public ErrorCode code() {
    return code;
  }

  /** Returns the explanation without the leading code name. */
  public String detail() {
    return getMessage().substring(code.name().length() + 2);
  }

  /** Returns the same failure as a {@link CairnException}, for layers that only know that. */
  public CairnException toCairnException() {
    return new CairnException(code, detail(), this);
  }
}
