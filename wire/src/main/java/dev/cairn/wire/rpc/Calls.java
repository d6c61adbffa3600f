package dev.cairn.wire.rpc;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Turns a reply frame into a typed value and every way a call can fail into one {@link
 * CairnException}: the one failure mapping of the protocol's clients.
 *
 * <p>Which failure becomes which {@link ErrorCode}:
 * <ul>
 *   <li>an ERROR reply: the code the peer named in it;
 *   <li>no reply within the call's timeout: BUSY;
 *   <li>no connection, a lost or closed connection, a frame that could not be sent: IO_ERROR;
 *   <li>a reply of another type than the request's reply type: BAD_FRAME;
 *   <li>a reply payload the decoder cannot read: the decoder's CairnException, else BAD_FRAME
 *       (the peer's bytes do not follow docs/protocol.md);
 *   <li>the waiting thread interrupted, or the call cancelled: INTERNAL (the interrupt flag is
 *       restored and the call cancelled);
 *   <li>anything else (a bug on this side): INTERNAL.
 * </ul>
 * The first three come from {@link RpcConnection}; this class adds the rest. A reply frame is
 * released exactly once whatever happens, also when the decoded future was cancelled first.
 */
public final class Calls {
  /** Extra wait past a call's own timeout before a blocking wait gives up by itself. */
  static final Duration BACKSTOP = Duration.ofSeconds(1);

  private Calls() {}

  /**
   * Maps a reply future: checks the reply type, decodes the payload and releases the frame
   * whatever happens. Cancelling the returned future (a hedged fetch that lost) cancels the
   * reply too; the frame is released even then, since {@code thenApply} would skip its
   * function once the dependent is done and the reply's direct memory would leak.
   */
  public static <T> CompletableFuture<T> decode(CompletableFuture<Frame> reply,
      FrameType expected, Function<ByteBuf, ? extends T> decoder) {
    CompletableFuture<T> decoded = new CompletableFuture<>();
    reply.whenComplete((frame, failure) -> {
      if (failure != null) {
        decoded.completeExceptionally(asCairn(failure));
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
        decoded.complete(decoder.apply(frame.payload()));
      } catch (CairnException e) {
        decoded.completeExceptionally(e);
      } catch (RuntimeException e) {
        decoded.completeExceptionally(new CairnException(ErrorCode.BAD_FRAME, "cannot read "
            + expected + ": " + e, e));
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

  /** Waits for {@code future}, which carries its own timeout, and unwraps its failure. */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      throw interrupted(future);
    } catch (ExecutionException | CancellationException e) {
      throw asCairn(e);
    }
  }

  /**
   * Waits like {@link #await(CompletableFuture)} but at most {@code timeout} plus a second, in
   * case the call's own timeout never fires (its event loop was shut down); then BUSY.
   */
  public static <T> T await(CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.plus(BACKSTOP).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw interrupted(future);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new CairnException(ErrorCode.BUSY, "no reply within " + timeout.toMillis() + " ms");
    } catch (ExecutionException | CancellationException e) {
      throw asCairn(e);
    }
  }

  private static CairnException interrupted(CompletableFuture<?> future) {
    Thread.currentThread().interrupt();
    future.cancel(false);
    return new CairnException(ErrorCode.INTERNAL, "interrupted while waiting for a reply");
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
    if (cause instanceof CancellationException) {
      return new CairnException(ErrorCode.INTERNAL, "the call was cancelled", cause);
    }
    return new CairnException(ErrorCode.INTERNAL, cause.getClass().getSimpleName() + ": "
        + cause.getMessage(), cause);
  }
}
