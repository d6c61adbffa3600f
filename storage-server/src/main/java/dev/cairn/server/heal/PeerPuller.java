package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.BusyException;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.PeerBackoff;
import dev.cairn.wire.rpc.RpcConnection;
import dev.cairn.wire.rpc.VerifiedBlobRead;
import dev.cairn.wire.rpc.VerifiedChunkRead.ChunkSource;
import dev.cairn.wire.rpc.VerifiedChunkRead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 *
 * <p>A peer that timed out (connect, handshake or a range) or refused us as BUSY is left alone
 * for a backoff period ({@link PeerBackoff}): fetches from it fail fast with BUSY and {@link
 * #ordered} puts it after the others, so a hung peer costs one timeout per period, not one per
 * blob.
 */
final class PeerPuller implements AutoCloseable {
  private final EventLoopGroup group;
  private final Hello ours;
  private final Duration timeout;
  private final RateLimiter limiter;
  private final Map<String, RpcConnection> connections = new HashMap<>();
  private final PeerBackoff backoff = new PeerBackoff();
  /** The donor's own bandwidth shaper (null: no limits), so pulled bytes use its budget. */
  private final ChannelHandler shaper;

  private final SigningKey identity;

  PeerPuller(EventLoopGroup group, Hello ours, Duration timeout, RateLimiter limiter,
      ChannelHandler shaper) {
    this(group, ours, null, timeout, limiter, shaper);
  }

  /**
   * Creates a puller that proves {@code identity}'s key (the one in {@code ours}) to every
   * peer with IDENTIFY, so that peers' reader policies see repair and audit traffic of a
   * node, which they never refuse; null proves nothing.
   */
  PeerPuller(EventLoopGroup group, Hello ours, SigningKey identity, Duration timeout,
      RateLimiter limiter, ChannelHandler shaper) {
    this.identity = identity;
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
    try {
      return read.read(limiter::acquire);
    } catch (CairnException e) {
      if (e.code() == ErrorCode.BUSY) {
        unresponsive(peer, connection); // a range timed out: the peer hangs
      }
      throw e;
    }
  }

  /** Returns {@code peers} with those this puller is backing off from last, else in order. */
  List<Peer> ordered(List<Peer> peers) {
    List<Peer> answering = new ArrayList<>(peers.size());
    List<Peer> backedOff = new ArrayList<>();
    for (Peer peer : peers) {
      boolean hung = peer != null && backoff.isBackedOff(address(peer));
      (hung ? backedOff : answering).add(peer);
    }
    answering.addAll(backedOff);
    return answering;
  }

  /** Returns the backoff of this puller's peers (tests and counters). */
  PeerBackoff backoff() {
    return backoff;
  }

  private synchronized void unresponsive(Peer peer, RpcConnection connection) {
    backoff.unresponsive(address(peer));
    connection.close();
    connections.remove(peer.address(), connection);
  }

  private static InetSocketAddress address(Peer peer) {
    return InetSocketAddress.createUnresolved(peer.address(), 0);
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
    backoff.admit(address(peer));
    RpcConnection fresh;
    try {
      fresh = RpcConnection.connect(group, HostPort.parse(peer.address()).resolve(), ours,
          identity, timeout, shaper);
      backoff.answered(address(peer));
    } catch (BusyException e) {
      backoff.busy(address(peer), e.retryAfterMillis());
      throw e;
    } catch (CairnException e) {
      if (e.code() == ErrorCode.BUSY) {
        backoff.unresponsive(address(peer));
      } else {
        backoff.probeEnded(address(peer));
      }
      throw e;
    } catch (Exception e) {
      // Netty's sync() rethrows a refused connect as the checked ConnectException, undeclared.
      backoff.probeEnded(address(peer));
      throw new CairnException(ErrorCode.IO_ERROR, "cannot reach " + peer.address() + ": " + e,
          e);
    }
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
