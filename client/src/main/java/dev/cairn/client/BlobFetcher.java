package dev.cairn.client;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.Addresses;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.NodeClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.message.BlobMessages.BlobRange;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fetches whole blobs from untrusted donors and returns them only once they hash to their id.
 *
 * <p>Holders are tried in the order given. A holder that fails (error, lost connection,
 * timeout) is skipped; one whose bytes do not hash to the id is reported to the {@link
 * BadHolderListener} (it is lying or its disk is rotting) and skipped. A blob larger than one
 * reply is read range by range. The size a holder announces is bounded before anything of that
 * size is allocated. For many blobs at once, spread
 * over near holders and hedged, use {@link dev.cairn.client.fetch.FetchScheduler}.
 */
public final class BlobFetcher {
  private static final Logger LOG = Logger.getLogger(BlobFetcher.class.getName());

  /**
   * Told about a holder that served bytes not matching the id; the same callback as {@link
   * dev.cairn.client.fetch.BadHolderListener}, so one listener serves both fetchers.
   */
  @FunctionalInterface
  public interface BadHolderListener extends dev.cairn.client.fetch.BadHolderListener {}

  private final ConnectionPool pool;
  private final Duration callTimeout;
  private final long blobBytesMax;
  private final BadHolderListener listener;

  /**
   * Creates a fetcher; blobs announced larger than {@code blobBytesMax} are refused as
   * BAD_FRAME (a donor cannot make us allocate more).
   */
  public BlobFetcher(ConnectionPool pool, Duration callTimeout, long blobBytesMax,
      BadHolderListener listener) {
    this.pool = requireNonNull(pool, "pool");
    this.callTimeout = requireNonNull(callTimeout, "callTimeout");
    if (blobBytesMax < 1 || blobBytesMax > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("blobBytesMax must fit a Java array");
    }
    this.blobBytesMax = blobBytesMax;
    this.listener = requireNonNull(listener, "listener");
  }

  /** Creates a fetcher bounded by the largest blob one PUT can store; bad holders are logged. */
  public BlobFetcher(ConnectionPool pool, Duration callTimeout) {
    this(pool, callTimeout, BlobMessages.BLOB_BYTES_MAX, (holder, id, why) -> LOG.log(
        Level.WARNING, "holder " + Addresses.format(holder) + " served bad bytes for "
            + id.toShortHex() + ": " + why.getMessage()));
  }

  /** Returns the verified bytes of {@code id} from the first of {@code holders} that has them. */
  public byte[] fetch(ContentId id, List<InetSocketAddress> holders) {
    List<NodeClient> clients = new ArrayList<>(holders.size());
    for (InetSocketAddress holder : holders) {
      clients.add(new NodeClient(pool, holder, null, callTimeout));
    }
    return fetchFrom(id, clients);
  }

  /** Like {@link #fetch} with ready node clients (e.g. ones that check node keys). */
  public byte[] fetchFrom(ContentId id, List<NodeClient> holders) {
    requireNonNull(id, "id");
    if (holders.isEmpty()) {
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toShortHex()
          + " has no known holder");
    }
    StringBuilder failures = new StringBuilder();
    for (NodeClient holder : holders) {
      try {
        byte[] bytes = readWhole(holder, id);
        id.verify(bytes);
        return bytes;
      } catch (CairnException e) {
        if (e.code() == ErrorCode.BAD_HASH) {
          listener.badHolder(holder.address(), id, e);
        }
        failures.append("; ").append(Addresses.format(holder.address())).append(": ")
            .append(e.getMessage());
      }
    }
    throw new CairnException(ErrorCode.NOT_FOUND, "no holder served blob " + id.toShortHex()
        + " intact" + failures);
  }

  private byte[] readWhole(NodeClient holder, ContentId id) {
    BlobRange first = holder.get(id, 0, 0);
    long size = first.blobSize();
    if (size > blobBytesMax) {
      throw new CairnException(ErrorCode.BAD_FRAME, "holder announces blob " + id.toShortHex()
          + " of " + size + " bytes, more than the " + blobBytesMax + " allowed");
    }
    if (first.bytes().length == size) {
      return first.bytes();
    }
    byte[] whole = new byte[(int) size];
    int filled = copyInto(whole, 0, first.bytes());
    while (filled < size) {
      BlobRange next = holder.get(id, filled, size - filled);
      if (next.blobSize() != size || next.bytes().length == 0) {
        throw new CairnException(ErrorCode.BAD_FRAME, "holder changed or truncated blob "
            + id.toShortHex() + " while it was read");
      }
      filled = copyInto(whole, filled, next.bytes());
    }
    return whole;
  }

  private static int copyInto(byte[] whole, int offset, byte[] part) {
    if (part.length > whole.length - offset) {
      throw new CairnException(ErrorCode.BAD_FRAME, "holder sent more bytes than the blob has");
    }
    System.arraycopy(part, 0, whole, offset, part.length);
    return offset + part.length;
  }
}
