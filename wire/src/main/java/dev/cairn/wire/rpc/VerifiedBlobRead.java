package dev.cairn.wire.rpc;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.BlobRange;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Reads one blob from one holder, range by range, and hands it out only once it hashes to its
 * id: the one verified read of the reader, of repair, and of whatever else fetches blobs.
 *
 * <p>The expected size comes from a signed manifest, so it bounds the allocation before a
 * holder says anything; a size no blob may have is BAD_FORMAT (the manifest's fault, not a
 * holder's). What a holder can get wrong, and the error it gets (both are {@link #isLie}):
 * <ul>
 *   <li>the bytes do not hash to the id, or it announces another size for the blob than the
 *       manifest's: BAD_HASH (the id pins the size too);
 *   <li>it sends a range of another length than asked for: BAD_FRAME.
 * </ul>
 * Failures of the call itself map as {@link Calls} documents.
 *
 * <p>Two ways to drive it: {@link #start} asks each range asynchronously on an executor (a
 * worker, never a Netty event loop, since asking may connect), for readers with many blobs in
 * flight; {@link #read} asks range after range on the calling thread, passing a {@link
 * RangeGate} (a bandwidth limiter) before each. One instance reads once.
 */
public final class VerifiedBlobRead {
  /** Asks one holder for {@code length} bytes (0: to the end) of a blob from {@code offset}. */
  @FunctionalInterface
  public interface RangeSource {
    CompletableFuture<BlobRange> read(ContentId id, long offset, long length);
  }

  /** Runs before each range is asked for, with its length; may block to pace the reads. */
  @FunctionalInterface
  public interface RangeGate {
    /** A gate that lets every range through at once. */
    RangeGate OPEN = bytes -> { };

    void beforeRange(int bytes) throws InterruptedException;
  }

  private final RangeSource source;
  private final String holder;
  private final ContentId id;
  private final int expectedBytes;
  private final int rangeBytes;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private volatile CompletableFuture<BlobRange> current;
  private byte[] whole;
  private int filled;

  /**
   * Prepares to read {@code id} of {@code expectedBytes} from {@code source}, named {@code
   * holder} in errors, at most {@code rangeBytes} per request. A size outside what one blob
   * may have is BAD_FORMAT here, before anything is asked.
   */
  public VerifiedBlobRead(RangeSource source, String holder, ContentId id, long expectedBytes,
      int rangeBytes) {
    this.source = requireNonNull(source, "source");
    this.holder = requireNonNull(holder, "holder");
    this.id = requireNonNull(id, "id");
    if (expectedBytes < 0 || expectedBytes > BlobMessages.BLOB_BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "blob " + id.toShortHex() + " is listed"
          + " with " + expectedBytes + " bytes, outside what a blob may have ("
          + BlobMessages.BLOB_BYTES_MAX + ")");
    }
    if (rangeBytes < 1 || rangeBytes > BlobData.rangeBytesMax()) {
      throw new IllegalArgumentException("rangeBytes must be 1.." + BlobData.rangeBytesMax()
          + ", not " + rangeBytes);
    }
    this.expectedBytes = (int) expectedBytes;
    this.rangeBytes = rangeBytes;
  }

  /** Returns true for the errors that mean a holder served something other than the blob. */
  public static boolean isLie(ErrorCode code) {
    return code == ErrorCode.BAD_HASH || code == ErrorCode.BAD_FRAME;
  }

  /** Returns the verified bytes once read, or the holder's error or lie. */
  public CompletableFuture<byte[]> result() {
    return result;
  }

  /** Asks for the first range now and each further one on {@code executor}. */
  public void start(Executor executor) {
    requireNonNull(executor, "executor");
    requestNext(executor);
  }

  /** Stops after the range in flight, whose reply the connection drops. */
  public void cancel() {
    result.cancel(false);
    CompletableFuture<BlobRange> inFlight = current;
    if (inFlight != null) {
      inFlight.cancel(false);
    }
  }

  /** Reads range after range on this thread, through {@code gate}; returns verified bytes. */
  public byte[] read(RangeGate gate) throws InterruptedException {
    requireNonNull(gate, "gate");
    do {
      int length = nextLength();
      gate.beforeRange(length);
      accept(Calls.await(source.read(id, filled, length)));
    } while (filled < expectedBytes);
    verify();
    result.complete(whole);
    return whole;
  }

  /** Length 0 asks for "to the end", which is right only for an empty blob. */
  private int nextLength() {
    return Math.min(rangeBytes, expectedBytes - filled);
  }

  private void requestNext(Executor executor) {
    if (result.isDone()) {
      return;
    }
    CompletableFuture<BlobRange> range;
    try {
      range = source.read(id, filled, nextLength());
    } catch (RuntimeException e) {
      result.completeExceptionally(Calls.asCairn(e));
      return;
    }
    current = range;
    range.whenCompleteAsync((part, failure) -> onRange(part, failure, executor), executor);
  }

  private void onRange(BlobRange range, Throwable failure, Executor executor) {
    if (failure != null) {
      result.completeExceptionally(Calls.asCairn(failure));
      return;
    }
    try {
      accept(range);
      if (filled == expectedBytes) {
        verify();
        result.complete(whole);
        return;
      }
    } catch (CairnException e) {
      result.completeExceptionally(e);
      return;
    }
    requestNext(executor);
  }

  private void accept(BlobRange range) {
    if (range.blobSize() != expectedBytes) {
      throw new CairnException(ErrorCode.BAD_HASH, "holder " + holder + " announces blob "
          + id.toShortHex() + " as " + range.blobSize() + " bytes but its manifest says "
          + expectedBytes);
    }
    byte[] part = range.bytes();
    if (part.length != nextLength()) {
      throw new CairnException(ErrorCode.BAD_FRAME, "holder " + holder + " sent "
          + part.length + " bytes of blob " + id.toShortHex() + " at offset " + filled
          + ", not the " + nextLength() + " asked for");
    }
    if (whole == null && part.length == expectedBytes) {
      whole = part;
    } else {
      if (whole == null) {
        whole = new byte[expectedBytes];
      }
      System.arraycopy(part, 0, whole, filled, part.length);
    }
    filled += part.length;
  }

  private void verify() {
    try {
      id.verify(whole);
    } catch (CairnException e) {
      throw new CairnException(ErrorCode.BAD_HASH, "holder " + holder + " served blob "
          + id.toShortHex() + " with bytes that do not match it: " + e.detail(), e);
    }
  }
}
