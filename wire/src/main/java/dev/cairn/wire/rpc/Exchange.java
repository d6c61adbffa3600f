package dev.cairn.wire.rpc;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.frame.FrameType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One request of the protocol: the frame type sent, the frame type that must answer it, and
 * how that answer's payload is decoded. The constants are in {@link Exchanges}; failures map
 * as {@link Calls} documents.
 *
 * @param request the request's frame type
 * @param reply the only frame type (besides ERROR) that answers it
 * @param decoder reads the reply's payload; the frame is released after it returns, so it
 *     keeps no reference to the payload
 * @param <T> what a reply decodes to
 */
public record Exchange<T>(FrameType request, FrameType reply,
    Function<ByteBuf, ? extends T> decoder) {
  /** Checks that every part is given. */
  public Exchange {
    requireNonNull(request, "request");
    requireNonNull(reply, "reply");
    requireNonNull(decoder, "decoder");
  }

  /** Sends a request owning {@code payload} and returns the decoded reply, asynchronously. */
  public CompletableFuture<T> send(RpcConnection connection, ByteBuf payload,
      Duration timeout) {
    return Calls.decode(connection.call(request, payload, timeout), reply, decoder);
  }

  /** Sends a request owning {@code payload} and waits for the decoded reply. */
  public T call(RpcConnection connection, ByteBuf payload, Duration timeout) {
    return Calls.await(send(connection, payload, timeout), timeout);
  }

  /** Sends a request with no payload and waits for the decoded reply. */
  public T call(RpcConnection connection, Duration timeout) {
    return call(connection, Unpooled.EMPTY_BUFFER, timeout);
  }
}
