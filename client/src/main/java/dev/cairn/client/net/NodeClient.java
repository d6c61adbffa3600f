package dev.cairn.client.net;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.message.BlobMessages.BlobRange;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.HasBlobs;
import dev.cairn.wire.message.BlobMessages.PutBlob;
import dev.cairn.wire.message.BlobMessages.PutOk;
import dev.cairn.wire.message.BlobMessages.StatsResult;
import dev.cairn.wire.rpc.Calls;
import dev.cairn.wire.rpc.Exchange;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Requests to one storage node (donor), over the shared {@link ConnectionPool}.
 *
 * <p>Every method has an asynchronous form returning a future that fails with a {@link
 * CairnException} (the node's ERROR reply, IO_ERROR for a lost connection, BUSY for a timeout)
 * and a blocking form. Bytes a node returns are NOT verified here: the caller knows what id
 * they must hash to ({@link dev.cairn.wire.rpc.VerifiedBlobRead} does that).
 *
 * <p>When the expected node key is known (from the metadata service's node list) the
 * handshake's key must match it, so a request meant for one donor is not silently answered by
 * another that took over its address.
 */
public final class NodeClient {
  /** Size of the pooled direct buffers an upload is copied into (see {@link #directCopy}). */
  private static final int PUT_PIECE_BYTES = 64 * 1024;
  private final ConnectionPool pool;
  private final InetSocketAddress address;
  private final byte[] expectedKey;
  private final Duration callTimeout;

  /**
   * Creates a client of the node at {@code address}; {@code expectedKey} (32 bytes) is checked
   * against the node's handshake when not null.
   */
  public NodeClient(ConnectionPool pool, InetSocketAddress address, byte[] expectedKey,
      Duration callTimeout) {
    this.pool = requireNonNull(pool, "pool");
    this.address = requireNonNull(address, "address");
    this.expectedKey = expectedKey == null ? null : expectedKey.clone();
    this.callTimeout = requireNonNull(callTimeout, "callTimeout");
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Stores {@code blob} under {@code id}, signed by {@code writer}; true if newly stored. */
  public CompletableFuture<Boolean> putAsync(ContentId id, byte[] blob, SigningKey writer) {
    if (blob.length > BlobMessages.BLOB_BYTES_MAX) {
      return CompletableFuture.failedFuture(tooLarge(id, blob.length));
    }
    ByteBuf direct = directCopy(blob);
    try {
      return putAsync(id, direct, writer);
    } finally {
      direct.release();
    }
  }

  /**
   * Stores the readable bytes of {@code blob} under {@code id}, signed by {@code writer}; true
   * if newly stored. The caller keeps its reference: the request holds a duplicate of its own,
   * so one {@link #directCopy} can serve every node a blob goes to.
   */
  public CompletableFuture<Boolean> putAsync(ContentId id, ByteBuf blob, SigningKey writer) {
    int length = blob.readableBytes();
    if (length > BlobMessages.BLOB_BYTES_MAX) {
      return CompletableFuture.failedFuture(tooLarge(id, length));
    }
    byte[] signature = writer.sign(SignatureDomain.PUT_BLOB, PutBlob.signedMessage(id, length));
    PutBlob put = new PutBlob(id, writer.publicKey().toBytes(), signature, blob);
    ByteBuf payload = put.encode(ByteBufAllocator.DEFAULT);
    return send(Exchanges.PUT_BLOB, payload).thenApply(PutOk::stored);
  }

  private static CairnException tooLarge(ContentId id, long length) {
    return new CairnException(ErrorCode.FRAME_TOO_LARGE, "blob " + id.toShortHex() + " is "
        + length + " bytes, more than one PUT_BLOB carries (" + BlobMessages.BLOB_BYTES_MAX
        + ")");
  }

  /**
   * Copies {@code blob} into pooled direct buffers of {@link #PUT_PIECE_BYTES}, which the socket
   * writes as they are; the caller releases it. A heap blob costs more: the transport merges
   * the PUT_BLOB payload into a new heap array and then copies it whole into fresh, zeroed
   * direct memory, for every copy a publish sends (measured in docs/benchmarks.md, "Where the
   * rest of a publish's CPU goes").
   */
  public static ByteBuf directCopy(byte[] blob) {
    int pieces = Math.max(1, (blob.length + PUT_PIECE_BYTES - 1) / PUT_PIECE_BYTES);
    io.netty.buffer.CompositeByteBuf copy =
        ByteBufAllocator.DEFAULT.compositeDirectBuffer(pieces);
    try {
      for (int offset = 0; offset < blob.length; offset += PUT_PIECE_BYTES) {
        int length = Math.min(PUT_PIECE_BYTES, blob.length - offset);
        ByteBuf piece = ByteBufAllocator.DEFAULT.directBuffer(length, length);
        piece.writeBytes(blob, offset, length);
        copy.addComponent(true, piece);
      }
      return copy;
    } catch (RuntimeException e) {
      copy.release();
      throw e;
    }
  }

  /** Blocking form of {@link #putAsync}. */
  public boolean put(ContentId id, byte[] blob, SigningKey writer) {
    return Calls.await(putAsync(id, blob, writer));
  }

  /** Blocking form of {@link #putAsync(ContentId, ByteBuf, SigningKey)}. */
  public boolean put(ContentId id, ByteBuf blob, SigningKey writer) {
    return Calls.await(putAsync(id, blob, writer));
  }

  /** Returns, for each id in order, whether the node holds it. */
  public CompletableFuture<List<Boolean>> hasAsync(List<ContentId> ids) {
    HasBlobs request = new HasBlobs(ids);
    ByteBuf payload = Unpooled.buffer(4 + ids.size() * ContentId.BYTES);
    request.writeTo(payload);
    return send(Exchanges.HAS_BLOBS, payload).thenApply(result -> {
      List<Boolean> held = result.held();
      if (held.size() != ids.size()) {
        throw new CairnException(ErrorCode.BAD_FRAME, "node " + HostPort.format(address)
            + " answered HAS_BLOBS of " + ids.size() + " ids with " + held.size());
      }
      return held;
    });
  }

  /** Blocking form of {@link #hasAsync}. */
  public List<Boolean> has(List<ContentId> ids) {
    return Calls.await(hasAsync(ids));
  }

  /** Reads {@code length} bytes (0 = to the end) of blob {@code id} from {@code offset}. */
  public CompletableFuture<BlobRange> getAsync(ContentId id, long offset, long length) {
    ByteBuf payload = Unpooled.buffer(ContentId.BYTES + 16);
    new GetBlob(id, offset, length).writeTo(payload);
    return send(Exchanges.GET_BLOB, payload);
  }

  /** Blocking form of {@link #getAsync}. */
  public BlobRange get(ContentId id, long offset, long length) {
    return Calls.await(getAsync(id, offset, length));
  }

  /** Returns the node's usage and counters. */
  public CompletableFuture<StatsResult> statsAsync() {
    return send(Exchanges.STATS, Unpooled.EMPTY_BUFFER);
  }

  /** Blocking form of {@link #statsAsync}. */
  public StatsResult stats() {
    return Calls.await(statsAsync());
  }

  /** Sends a request owning {@code payload}; connection failures become a failed future. */
  private <T> CompletableFuture<T> send(Exchange<T> exchange, ByteBuf payload) {
    RpcConnection connection;
    try {
      connection = pool.get(address);
      checkKey(connection);
    } catch (CairnException e) {
      payload.release();
      return CompletableFuture.failedFuture(e);
    }
    return exchange.send(connection, payload, callTimeout);
  }

  private void checkKey(RpcConnection connection) {
    if (expectedKey == null) {
      return;
    }
    byte[] actual = connection.peer() == null ? null : connection.peer().nodeKey();
    if (!Arrays.equals(expectedKey, actual)) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "node at " + HostPort.format(address)
          + " presents key " + (actual == null ? "none" : HexFormat.of().formatHex(actual))
          + ", expected " + HexFormat.of().formatHex(expectedKey));
    }
  }

  @Override
  public String toString() {
    return "node " + HostPort.format(address);
  }
}
