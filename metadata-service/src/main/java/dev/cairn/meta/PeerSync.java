package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.GetHead;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.TableHead;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pulls table heads from one peer metadata service into the local {@link TableRegistry}.
 *
 * <p>Each {@link #tick} lists the peer's tables and, for every table whose head is newer
 * there (or of the same version with another id), fetches all its versions and ingests the
 * ones missing here, oldest first, through the registry's rules (signature, claimed name,
 * version order, hash chain; {@link TableRegistry#ingest}), and then the head timestamps newer
 * than those held here (docs/protocol.md 4.7). So the highest valid version wins, a lying peer
 * can withhold heads but never plant one, and a fork (two heads the writer signed for one
 * version) is kept and served as such rather than settled by whoever pulled first.
 *
 * <p>A peer that is down or misbehaves costs little: failures back off exponentially up to
 * {@link #BACKOFF_MAX}, the first failure is logged as a warning and repeats only at FINE,
 * and nothing a peer sends is trusted beyond what the registry checks. A peer that turns out
 * to be this very service (the same node key) is skipped for good.
 */
final class PeerSync implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PeerSync.class.getName());
  /** Longest wait for a peer to connect and answer the handshake. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Longest wait for one reply from a peer. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Longest pause between two attempts to reach a failing peer. */
  static final Duration BACKOFF_MAX = Duration.ofSeconds(60);

  private final InetSocketAddress peer;
  private final Hello ours;
  private final EventLoopGroup group;
  private final TableRegistry tables;
  private final Duration interval;
  private volatile RpcConnection connection;
  private int failures;
  private long retryAtNanos;
  private boolean isSelf;
  private String lastRejection = "";
  private volatile boolean closed;

  PeerSync(InetSocketAddress peer, Hello ours, EventLoopGroup group, TableRegistry tables,
      Duration interval) {
    this.peer = requireNonNull(peer, "peer");
    this.ours = requireNonNull(ours, "ours");
    this.group = requireNonNull(group, "group");
    this.tables = requireNonNull(tables, "tables");
    this.interval = requireNonNull(interval, "interval");
  }

  /** One round: pull from the peer unless it is backing off. Never throws. */
  synchronized void tick() {
    if (closed || isSelf || System.nanoTime() - retryAtNanos < 0) {
      return;
    }
    try {
      RpcConnection peerConnection = connection();
      if (peerConnection == null) {
        return;
      }
      pull(peerConnection);
      if (failures > 0) {
        LOG.info("peer " + peer + " is reachable again");
      }
      failures = 0;
    } catch (RuntimeException e) { // CairnException, or a bug: never kill the schedule
      closeConnection();
      failures++;
      long backoffNanos = Math.min(BACKOFF_MAX.toNanos(),
          interval.toNanos() << Math.min(failures, 16));
      retryAtNanos = System.nanoTime() + backoffNanos;
      Level level = failures == 1 ? Level.WARNING : Level.FINE;
      LOG.log(level, "cannot sync from peer " + peer + " (" + e.getMessage() + "); retrying in "
          + TimeUnit.NANOSECONDS.toMillis(backoffNanos) + " ms");
    }
  }

  /** Returns an open connection to the peer, or null if the peer is this service. */
  private RpcConnection connection() {
    if (connection != null && connection.isOpen()) {
      return connection;
    }
    closeConnection();
    RpcConnection fresh = RpcConnection.connect(group, peer, ours, CONNECT_TIMEOUT);
    if (Arrays.equals(fresh.peer().nodeKey(), ours.nodeKey())) {
      fresh.close();
      isSelf = true;
      LOG.info("peer " + peer + " is this metadata service itself; not syncing from it");
      return null;
    }
    connection = fresh;
    return fresh;
  }

  private void pull(RpcConnection peerConnection) {
    Heads listed = Exchanges.LIST_TABLES.call(peerConnection, CALL_TIMEOUT);
    List<String> rejections = new ArrayList<>();
    for (TableHead head : listed.heads()) {
      try {
        SignedManifest signed = ManifestCodec.decode(head.manifest());
        Manifest manifest = signed.manifest();
        long local = tables.headVersion(manifest.writerKey(), manifest.tableName());
        boolean other = manifest.version() == local
            && !tables.holds(manifest.writerKey(), manifest.tableName(), local, signed.id());
        if (manifest.version() > local || other) {
          catchUp(peerConnection, head.schema(), manifest);
        }
      } catch (CairnException e) {
        if (isPeerFailure(e)) {
          throw e;
        }
        rejections.add(head.schema() + ": " + e.getMessage());
      }
    }
    pullTimestamps(listed.timestamps(), rejections);
    String summary = rejections.isEmpty() ? "" : rejections.size() + " tables refused, first: "
        + rejections.get(0);
    if (!summary.isEmpty() && !summary.equals(lastRejection)) {
      LOG.warning("peer " + peer + " offered data this service refuses: " + summary);
    }
    lastRejection = summary;
  }

  /**
   * Fetches every version of one table and ingests those not held here, oldest first: newer
   * versions, and another head for a version held here (a fork, which the registry keeps).
   */
  private void catchUp(RpcConnection peerConnection, String schema, Manifest listed) {
    ByteBuf request = Unpooled.buffer();
    new GetHead(schema, listed.tableName(), 0).writeTo(request);
    Heads versions = Exchanges.GET_VERSIONS.call(peerConnection, request, CALL_TIMEOUT);
    List<Version> sorted = new ArrayList<>();
    for (TableHead head : versions.heads()) {
      SignedManifest signed;
      try {
        signed = ManifestCodec.decode(head.manifest());
      } catch (CairnException e) {
        continue; // unusable; if the chain needed it, the next version is refused below
      }
      Manifest m = signed.manifest();
      if (m.writerKey().equals(listed.writerKey()) && m.tableName().equals(listed.tableName())) {
        sorted.add(new Version(head, signed));
      }
    }
    sorted.sort(Comparator.comparingLong(v -> v.signed.manifest().version()));
    for (Version v : sorted) {
      Manifest m = v.signed.manifest();
      if (tables.holds(m.writerKey(), m.tableName(), m.version(), v.signed.id())) {
        continue;
      }
      tables.claim(new NameClaim(v.head.schema(), m.writerKey(), v.head.claimSignature()));
      tables.ingest(v.signed);
    }
  }

  /**
   * Ingests the peer's head timestamps that are newer than those held here, through the
   * registry's rules, after the heads themselves (a timestamp counts only for the head here).
   */
  private void pullTimestamps(List<byte[]> offered, List<String> rejections) {
    for (byte[] encoded : offered) {
      try {
        HeadTimestamp timestamp = HeadTimestamp.decode(encoded);
        HeadTimestamp held = tables.newestTimestamp(timestamp.manifestId());
        if (held == null || held.validUntilMillis() < timestamp.validUntilMillis()) {
          tables.timestamp(timestamp);
        }
      } catch (CairnException e) {
        if (e.code() != ErrorCode.STALE_VERSION) { // an older head's: superseded, not a lie
          rejections.add("head timestamp: " + e.getMessage());
        }
      }
    }
  }

  private record Version(TableHead head, SignedManifest signed) {}

  /** Errors that mean the peer or the link failed, rather than one table being refused. */
  private static boolean isPeerFailure(CairnException e) {
    return switch (e.code()) {
      case IO_ERROR, BUSY, BAD_FRAME, FRAME_TOO_LARGE, VERSION_MISMATCH, INTERNAL -> true;
      default -> false;
    };
  }

  private void closeConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    RpcConnection open = connection; // not under the lock: this fails a call tick waits on
    if (open != null) {
      open.close();
    }
  }
}
