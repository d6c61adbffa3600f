package dev.cairn.client.net;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Helpers to wait for replies and turn every failure into a {@link CairnException}. */
public final class Calls {
  private Calls() {}

  /**
   * Maps a reply future: checks the reply type, decodes the payload and releases the frame
   * whatever happens. A reply of the wrong type is BAD_FRAME.
   *
   * <p>Cancelling the returned future (a hedged fetch that lost) cancels the reply too. The
   * frame is released even then: {@code thenApply} would skip its function once the dependent
   * is done, and the reply's direct memory would leak.
   */
  public static <T> CompletableFuture<T> decode(CompletableFuture<Frame> reply,
      FrameType expected, Function<Frame, T> decoder) {
    CompletableFuture<T> decoded = new CompletableFuture<>();
    reply.whenComplete((frame, failure) -> {
      if (failure != null) {
        decoded.completeExceptionally(failure);
        return;
      }
      try {
        if (decoded.isDone()) {
          return;
        }
        if (frame.type() != expected) {
          throw new CairnException(ErrorCode.BAD_FRAME, "expected " + expected + " but got "
              + frame.type());
        }
        decoded.complete(decoder.apply(frame));
      } catch (RuntimeException e) {
        decoded.completeExceptionally(e);
      } finally {
        frame.release();
      }
    });
    decoded.whenComplete((value, failure) -> {
      if (decoded.isCancelled()) {
        reply.cancel(false);
      }
    });
    return decoded;
  }

  /** Waits for {@code future} (which carries its own timeout) and unwraps its failure. */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new CairnException(ErrorCode.INTERNAL, "interrupted while waiting for a reply");
    } catch (ExecutionException e) {
      throw asCairn(e.getCause());
    }
  }

  /** Returns {@code failure} (unwrapped from completion wrappers) as a CairnException. */
  public static CairnException asCairn(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CairnException cairn) {
      return cairn;
    }
    return new CairnException(ErrorCode.INTERNAL, cause.getClass().getSimpleName() + ": "
        + cause.getMessage(), cause);
  }
}
