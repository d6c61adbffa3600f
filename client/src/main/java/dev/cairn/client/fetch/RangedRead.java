package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.Addresses;
import dev.cairn.client.net.NodeClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.BlobMessages.BlobRange;
import dev.cairn.wire.rpc.Calls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Reads one blob from one holder, range by range, and verifies it against its id.
 *
 * <p>The first reply's announced size must equal the manifest's size before anything of that
 * size is allocated: a holder announcing another size is lying (BAD_FORMAT). Each further range
 * is asked for on {@code executor} (a worker, never a Netty event loop: asking may connect).
 * {@link #cancel} stops after the range in flight, whose reply the connection drops.
 */
final class RangedRead {
  private final NodeClient holder;
  private final ContentId id;
  private final long expectedBytes;
  private final int rangeBytes;
  private final Executor executor;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private volatile CompletableFuture<BlobRange> current;
  private byte[] whole;
  private int filled;

  RangedRead(NodeClient holder, ContentId id, long expectedBytes, int rangeBytes,
      Executor executor) {
    this.holder = requireNonNull(holder, "holder");
    this.id = requireNonNull(id, "id");
    this.expectedBytes = expectedBytes;
    this.rangeBytes = rangeBytes;
    this.executor = requireNonNull(executor, "executor");
  }

  /** Returns the verified bytes, or fails with the holder's error or its lie. */
  CompletableFuture<byte[]> result() {
    return result;
  }

  /** Asks for the first range; call on a worker thread. */
  void start() {
    requestNext();
  }

  void cancel() {
    result.cancel(false);
    CompletableFuture<BlobRange> inFlight = current;
    if (inFlight != null) {
      inFlight.cancel(false);
    }
  }

  private void requestNext() {
    if (result.isDone()) {
      return;
    }
    // Length 0 asks for "to the end", which is right only for an empty blob.
    long length = Math.min(rangeBytes, expectedBytes - filled);
    CompletableFuture<BlobRange> range;
    try {
      range = holder.getAsync(id, filled, length);
    } catch (RuntimeException e) {
      result.completeExceptionally(Calls.asCairn(e));
      return;
    }
    current = range;
    range.whenCompleteAsync(this::onRange, executor);
  }

  private void onRange(BlobRange range, Throwable failure) {
    if (failure != null) {
      result.completeExceptionally(Calls.asCairn(failure));
      return;
    }
    try {
      accept(range);
      if (filled == expectedBytes) {
        id.verify(whole);
        result.complete(whole);
        return;
      }
    } catch (CairnException e) {
      result.completeExceptionally(e);
      return;
    }
    requestNext();
  }

  private void accept(BlobRange range) {
    if (range.blobSize() != expectedBytes) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "holder "
          + Addresses.format(holder.address()) + " announces blob " + id.toShortHex() + " as "
          + range.blobSize() + " bytes but its manifest says " + expectedBytes);
    }
    byte[] part = range.bytes();
    if (part.length == 0 && expectedBytes > 0 || part.length > expectedBytes - filled) {
      throw new CairnException(ErrorCode.BAD_FRAME, "holder "
          + Addresses.format(holder.address()) + " sent " + part.length + " bytes of blob "
          + id.toShortHex() + " at offset " + filled + ", not the range asked for");
    }
    if (whole == null && part.length == expectedBytes) {
      whole = part;
    } else {
      if (whole == null) {
        whole = new byte[(int) expectedBytes];
      }
      System.arraycopy(part, 0, whole, filled, part.length);
    }
    filled += part.length;
  }
}
