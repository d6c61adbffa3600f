package dev.cairn.wire.frame;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * The last handler of every Cairn pipeline: turns an exception that reached the end of the
 * pipeline into the connection-level error of docs/protocol.md ("Errors"), that is one ERROR
 * frame with requestId 0, then closes the connection.
 *
 * <pre>
 * peer sends  ffffffff ...                    (length over the maximum)
 * we send     ERROR requestId 0: FRAME_TOO_LARGE "frame length 4294967295 exceeds ..."
 * we close    the connection
 * </pre>
 *
 * <p>Design: a request handler answers a failed request itself with an ERROR frame carrying
 * that request's id and keeps the connection. Whatever it does not catch means this side can no
 * longer trust the stream, so the connection goes. The code comes from a {@link FrameException}
 * or {@link CairnException}; anything else is a bug here and is reported as {@code INTERNAL}
 * without its text, which could leak internals to an untrusted peer. Only the first error is
 * reported. Holds that one flag, so use one instance per channel.
 */
public final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {
  private boolean reported;

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    if (reported) {
      return;
    }
    reported = true;
    ErrorMessage error = toErrorMessage(cause);
    if (!context.channel().isActive()) {
      return;
    }
    context.writeAndFlush(error.toFrame(0, context.alloc()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** Returns the ERROR payload reported for {@code cause}. */
  static ErrorMessage toErrorMessage(Throwable cause) {
    if (cause instanceof FrameException frameException) {
      return ErrorMessage.truncating(frameException.code(), frameException.detail());
    }
    if (cause instanceof CairnException cairnException) {
      return ErrorMessage.of(cairnException);
    }
    if (cause.getCause() instanceof FrameException || cause.getCause() instanceof CairnException) {
      return toErrorMessage(cause.getCause());
    }
    return new ErrorMessage(ErrorCode.INTERNAL, "unexpected " + cause.getClass().getSimpleName());
  }
}
