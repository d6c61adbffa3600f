package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.manifest.ChunkTree;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import dev.cairn.wire.rpc.VerifiedBlobRead;
import dev.cairn.wire.rpc.VerifiedChunkRead;
import dev.cairn.wire.rpc.VerifiedChunkRead.ChunkSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Fetches whole blobs from peers over GET_BLOB, as a STORAGE_NODE, and verifies them.
 *
 * <p>Every range passes the pull {@link RateLimiter} before it is asked for, so repair traffic
 * stays within the donor's limit however many blobs are missing. The blob is read and checked
 * by {@link VerifiedBlobRead} (a lie there is what the caller reports the peer for, see
 * {@link VerifiedBlobRead#isLie}), and the peer's HELLO must carry the key the
 * metadata service listed for that address (else IO_ERROR: an address that changed hands is
 * not evidence against anyone). Connections are kept per address and reused across rounds.
 */
final class PeerPuller implements AutoCloseable {
  private final EventLoopGroup group;
  private final Hello ours;
  private final Duration timeout;
  private final RateLimiter limiter;
  private final Map<String, RpcConnection> connections = new HashMap<>();
  /** The donor's own bandwidth shaper (null: no limits), so pulled bytes use its budget. */
  private final ChannelHandler shaper;

  PeerPuller(EventLoopGroup group, Hello ours, Duration timeout, RateLimiter limiter,
      ChannelHandler shaper) {
    this.shaper = shaper;
    this.group = requireNonNull(group, "group");
    this.ours = requireNonNull(ours, "ours");
    this.timeout = requireNonNull(timeout, "timeout");
    this.limiter = requireNonNull(limiter, "limiter");
  }

  /** Returns the blob's verified bytes from {@code peer}; CairnException otherwise. */
  byte[] fetch(Need need, Peer peer) throws InterruptedException {
    RpcConnection connection = connection(peer);
    VerifiedBlobRead read = new VerifiedBlobRead((id, offset, length) -> {
      ByteBuf request = Unpooled.buffer(ContentId.BYTES + 16);
      new GetBlob(id, offset, length).writeTo(request);
      return Exchanges.GET_BLOB.send(connection, request, timeout);
    }, "peer " + peer.address(), need.id(), need.sizeBytes(), BlobData.rangeBytesMax());
    return read.read(limiter::acquire);
  }

  /**
   * Returns a source of GET_CHUNK answers from {@code peer} over its key-checked connection,
   * after taking one chunk's worth of the pull rate limit; IO_ERROR if it cannot be reached.
   */
  ChunkSource chunks(Peer peer) throws InterruptedException {
    limiter.acquire(ChunkTree.CHUNK_BYTES);
    return VerifiedChunkRead.over(connection(peer), timeout);
  }

  private synchronized RpcConnection connection(Peer peer) {
    RpcConnection open = connections.get(peer.address());
    if (open != null && open.isOpen()
        && Arrays.equals(open.peer().nodeKey(), peer.key().toBytes())) {
      return open;
    }
    if (open != null) {
      open.close();
      connections.remove(peer.address());
    }
    RpcConnection fresh = RpcConnection.connect(group, HostPort.parse(peer.address()).resolve(), ours, timeout,
        shaper);
    if (!Arrays.equals(fresh.peer().nodeKey(), peer.key().toBytes())) {
      fresh.close();
      throw new CairnException(ErrorCode.IO_ERROR, "the node at " + peer.address()
          + " is not " + peer.key().fingerprint());
    }
    connections.put(peer.address(), fresh);
    return fresh;
  }

  @Override
  public synchronized void close() {
    connections.values().forEach(RpcConnection::close);
    connections.clear();
  }

  /** Wraps the verified bytes for the store. */
  static ByteBuffer wrap(byte[] blob) {
    return ByteBuffer.wrap(blob);
  }
}
