package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.BlobRange;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Fetches whole blobs from peers over GET_BLOB, as a STORAGE_NODE, and verifies them.
 *
 * <p>Every range passes the pull {@link RateLimiter} before it is asked for, so repair traffic
 * stays within the donor's limit however many blobs are missing. The bytes must hash to the
 * id (else BAD_HASH: the caller reports the peer) and the peer's HELLO must carry the key the
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
    if (need.sizeBytes() > BlobMessages.BLOB_BYTES_MAX || need.sizeBytes() < 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "blob " + need.id().toShortHex()
          + " is listed with " + need.sizeBytes() + " bytes, more than a blob may have");
    }
    RpcConnection connection = connection(peer);
    byte[] blob = new byte[(int) need.sizeBytes()];
    int filled = 0;
    do {
      int length = Math.min(BlobData.rangeBytesMax(), blob.length - filled);
      limiter.acquire(length);
      filled += readRange(connection, need, filled, length, blob);
    } while (filled < blob.length);
    MessageDigest digest = ContentId.newDigest();
    digest.update(blob);
    ContentId actual = ContentId.fromDigest(digest);
    if (!actual.equals(need.id())) {
      throw new CairnException(ErrorCode.BAD_HASH, "peer " + peer.address() + " served bytes "
          + "for blob " + need.id().toShortHex() + " that hash to " + actual.toShortHex());
    }
    return blob;
  }

  private int readRange(RpcConnection connection, Need need, int offset, int length,
      byte[] into) {
    ByteBuf request = Unpooled.buffer(48);
    new GetBlob(need.id(), offset, length).writeTo(request);
    BlobRange range = Exchanges.GET_BLOB.call(connection, request, timeout);
    int got = range.bytes().length;
    if (range.blobSize() != into.length || got != length) {
      // A wrong size is as bad as wrong bytes: the id pins the size too.
      throw new CairnException(ErrorCode.BAD_HASH, "peer sent " + got + " of "
          + range.blobSize() + " bytes for blob " + need.id().toShortHex() + " of "
          + into.length + " bytes");
    }
    System.arraycopy(range.bytes(), 0, into, offset, got);
    return got;
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
    RpcConnection fresh = RpcConnection.connect(group, resolve(peer.address()), ours, timeout,
        shaper);
    if (!Arrays.equals(fresh.peer().nodeKey(), peer.key().toBytes())) {
      fresh.close();
      throw new CairnException(ErrorCode.IO_ERROR, "the node at " + peer.address()
          + " is not " + peer.key().fingerprint());
    }
    connections.put(peer.address(), fresh);
    return fresh;
  }

  static InetSocketAddress resolve(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "node address '" + hostPort
          + "' is not host:port");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "node address '" + hostPort + "': "
          + e.getMessage());
    }
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
