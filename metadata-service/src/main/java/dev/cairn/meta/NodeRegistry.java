package dev.cairn.meta;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Placement;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.message.MetaMessages;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The donors this service has heard from, what they hold, and where blobs should go.
 *
 * <p>A node is whoever signs heartbeats with a key; nothing else about it is trusted. A node
 * is live while it has been silent for less than {@code deadAfter}, measured on the monotonic
 * clock. Its timestamps must not go backwards (a replayed heartbeat could otherwise keep a
 * dead node looking alive). Holdings arrive whole, replacing the node's previous set, and
 * feed a blob-to-holders index for PLACEMENT.
 *
 * <p>Kept in memory only: after a restart the service asks each node for its holdings again
 * ({@code wantHoldings}). Not gossiped: donors heartbeat to every metadata service.
 */
final class NodeRegistry {
  /** Most nodes remembered; a new node past this evicts dead ones or is refused with BUSY. */
  static final int NODES_MAX = MetaMessages.NODES_MAX;
  /**
   * Most reports one reporter can count against one node: a single lying reporter can lower
   * an honest node's score by at most this much, several independent ones by more.
   */
  static final int REPORTS_PER_REPORTER_MAX = 10;
  /** Most (blob, node) pairs one PLACEMENT may cost, to bound its CPU time. */
  static final long PLACEMENT_SCORES_MAX = 20_000_000L;

  private static final class NodeState {
    final PublicKey key;
    final byte[] keyBytes;
    String address;
    String zone;
    long capacityBytes;
    long usedBytes;
    long blobCount;
    long timestampMillis;
    byte[] lastSignature;
    long lastSeenNanos;
    Set<ContentId> holdings; // null until the node sends them
    /** Blobs each reporter (by key) said this node served corrupt; bounded per reporter. */
    final Map<PublicKey, Set<ContentId>> badReports = new HashMap<>();

    NodeState(PublicKey key) {
      this.key = key;
      this.keyBytes = key.toBytes();
    }
  }

  private final long deadAfterNanos;
  private final LongSupplier nanoClock;
  private final Map<PublicKey, NodeState> nodes = new HashMap<>();
  private final Map<ContentId, Set<PublicKey>> holders = new HashMap<>();

  NodeRegistry(Duration deadAfter, LongSupplier nanoClock) {
    this.deadAfterNanos = deadAfter.toNanos();
    this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /**
   * Records a heartbeat after checking its signature and timestamp. Returns whether the
   * service wants the node's full holdings with its next heartbeat.
   */
  synchronized boolean heartbeat(Heartbeat beat) {
    PublicKey key = PublicKey.fromBytes(beat.nodeKey());
    key.checkSignature(SignatureDomain.HEARTBEAT, beat.signedMessage(), beat.signature(),
        "heartbeat of node " + key.fingerprint());
    NodeState node = nodes.get(key);
    if (node != null) {
      checkNotReplayed(node, beat);
    } else {
      node = new NodeState(key);
      makeRoom();
      nodes.put(key, node);
    }
    node.address = beat.address();
    node.zone = beat.zone();
    node.capacityBytes = beat.capacityBytes();
    node.usedBytes = beat.usedBytes();
    node.blobCount = beat.blobCount();
    node.timestampMillis = beat.timestampMillis();
    node.lastSignature = beat.signature();
    node.lastSeenNanos = nanoClock.getAsLong();
    if (beat.holdings() != null) {
      replaceHoldings(node, new HashSet<>(beat.holdings()));
    }
    return node.holdings == null;
  }

  private static void checkNotReplayed(NodeState node, Heartbeat beat) {
    if (beat.timestampMillis() < node.timestampMillis) {
      throw new CairnException(ErrorCode.STALE_VERSION, "heartbeat of node "
          + node.key.fingerprint() + " has timestamp " + beat.timestampMillis()
          + ", older than the last accepted " + node.timestampMillis + " (a replay?)");
    }
    if (beat.timestampMillis() == node.timestampMillis
        && Arrays.equals(beat.signature(), node.lastSignature)) {
      throw new CairnException(ErrorCode.STALE_VERSION, "heartbeat of node "
          + node.key.fingerprint() + " repeats the last accepted one (a replay?)");
    }
  }

  /** Forgets dead nodes when full, so that a crowd of throwaway keys cannot grow memory. */
  private void makeRoom() {
    if (nodes.size() < NODES_MAX) {
      return;
    }
    long now = nanoClock.getAsLong();
    List<NodeState> dead = new ArrayList<>();
    for (NodeState n : nodes.values()) {
      if (!isLive(n, now)) {
        dead.add(n);
      }
    }
    for (NodeState n : dead) {
      replaceHoldings(n, null);
      nodes.remove(n.key);
    }
    if (nodes.size() >= NODES_MAX) {
      throw new CairnException(ErrorCode.BUSY, "this metadata service already tracks "
          + NODES_MAX + " live nodes");
    }
  }

  private void replaceHoldings(NodeState node, Set<ContentId> newHoldings) {
    if (node.holdings != null) {
      for (ContentId id : node.holdings) {
        Set<PublicKey> keys = holders.get(id);
        if (keys != null && keys.remove(node.key) && keys.isEmpty()) {
          holders.remove(id);
        }
      }
    }
    node.holdings = newHoldings;
    if (newHoldings != null) {
      for (ContentId id : newHoldings) {
        holders.computeIfAbsent(id, k -> new HashSet<>(4)).add(node.key);
      }
    }
  }

  private boolean isLive(NodeState node, long nowNanos) {
    return nowNanos - node.lastSeenNanos < deadAfterNanos;
  }

  /** Returns every known node, live or not, ordered by key. */
  synchronized List<NodeInfo> nodes() {
    long now = nanoClock.getAsLong();
    List<NodeState> sorted = new ArrayList<>(nodes.values());
    sorted.sort(Comparator.comparing((NodeState n) -> n.keyBytes, Arrays::compareUnsigned));
    List<NodeInfo> infos = new ArrayList<>(sorted.size());
    for (NodeState n : sorted) {
      long silenceMillis = Duration.ofNanos(Math.max(0, now - n.lastSeenNanos)).toMillis();
      infos.add(new NodeInfo(n.keyBytes, n.address, isLive(n, now), n.capacityBytes,
          n.usedBytes, n.blobCount, silenceMillis, score(n), n.zone));
    }
    return infos;
  }

  /**
   * For each id: the live nodes that should hold it ({@link Placement#chooseAcrossZones}: in
   * distinct zones while enough are live) and the live nodes that report holding it. BUSY if
   * the request would cost too much CPU.
   */
  synchronized List<BlobPlacement> placement(int replicas, List<ContentId> ids) {
    long now = nanoClock.getAsLong();
    List<Placement.Node> live = new ArrayList<>();
    Set<PublicKey> liveKeys = new HashSet<>();
    for (NodeState n : nodes.values()) {
      if (isLive(n, now)) {
        live.add(new Placement.Node(n.keyBytes, n.zone));
        liveKeys.add(n.key);
      }
    }
    if ((long) ids.size() * live.size() > PLACEMENT_SCORES_MAX) {
      throw new CairnException(ErrorCode.BUSY, "placing " + ids.size() + " blobs over "
          + live.size() + " nodes is too much for one request; ask for at most "
          + PLACEMENT_SCORES_MAX / Math.max(1, live.size()) + " ids at once");
    }
    List<BlobPlacement> result = new ArrayList<>(ids.size());
    for (ContentId id : ids) {
      List<byte[]> holding = new ArrayList<>();
      for (PublicKey holder : holders.getOrDefault(id, Set.of())) {
        if (liveKeys.contains(holder)) {
          holding.add(nodes.get(holder).keyBytes);
        }
      }
      holding.sort(Arrays::compareUnsigned);
      List<byte[]> placed = new ArrayList<>(replicas);
      Placement.chooseAcrossZones(id, live, replicas).forEach(node -> placed.add(node.key()));
      result.add(new BlobPlacement(placed, holding));
    }
    return result;
  }

  /**
   * Counts a signed report that {@code offender} served bytes not matching {@code blobId}.
   * The reporter must be a node that heartbeats here (a throwaway key costs a registration),
   * must not report itself, and counts each blob once and at most {@link
   * #REPORTS_PER_REPORTER_MAX} blobs per offender. BAD_SIGNATURE, UNAUTHORIZED (unknown
   * reporter or self-report) or NOT_FOUND (unknown offender) otherwise.
   */
  synchronized void reportBadHolder(BadHolderReport report) {
    PublicKey reporter = PublicKey.fromBytes(report.reporterKey());
    reporter.checkSignature(SignatureDomain.BAD_HOLDER, report.signedMessage(),
        report.signature(), "bad-holder report of node " + reporter.fingerprint());
    if (!nodes.containsKey(reporter)) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "node " + reporter.fingerprint()
          + " does not heartbeat to this service; only registered nodes may report peers");
    }
    PublicKey offenderKey = PublicKey.fromBytes(report.offenderKey());
    if (offenderKey.equals(reporter)) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "a node cannot report itself");
    }
    NodeState offender = nodes.get(offenderKey);
    if (offender == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no node " + offenderKey.fingerprint()
          + " is known here");
    }
    Set<ContentId> blobs = offender.badReports.computeIfAbsent(reporter, k -> new HashSet<>());
    if (blobs.size() < REPORTS_PER_REPORTER_MAX) {
      blobs.add(report.blobId());
    }
  }

  /** Returns a node's score: minus the counted bad-holder reports against it; 0 is clean. */
  private static int score(NodeState node) {
    int reports = 0;
    for (Set<ContentId> blobs : node.badReports.values()) {
      reports += blobs.size();
    }
    return -reports;
  }
}
