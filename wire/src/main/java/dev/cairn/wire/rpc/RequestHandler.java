package dev.cairn.wire.rpc;

import dev.cairn.wire.frame.Frame;

/**
 * Serves one kind of peer's requests. Called on a worker thread, never on a Netty event loop,
 * so it may block on disk; requests of one connection arrive one at a time, in order.
 */
@FunctionalInterface
public interface RequestHandler {
  /**
   * Handles {@code request} and answers it through {@code responder}. The frame is released
   * after this returns, so keep nothing of its payload beyond the call. A {@link
   * dev.cairn.wire.CairnException} thrown here becomes an ERROR reply to this request and the
   * connection stays; anything else is reported as INTERNAL.
   */
  void handle(Frame request, Responder responder) throws Exception;
}
