package dev.cairn.meta;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Placement;
import dev.cairn.wire.VettingShare;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.message.MetaMessages;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The donors this service has heard from, what they hold, and where blobs should go.
 *
 * <p>A node is whoever signs heartbeats with a key; nothing else about it is trusted. A node
 * is live while it has been silent for less than {@code deadAfter}, measured on the monotonic
 * clock. Its timestamps must not go backwards (a replayed heartbeat could otherwise keep a
 * dead node looking alive). Holdings arrive whole, replacing the node's previous set, and
 * are only claims: they feed a blob-to-holders index for PLACEMENT (and so for readers,
 * repair and status) only while the node is not disqualified and has not failed or missed
 * its latest audit of that blob ({@link Auditor}). Each node has a {@link Reputation} that
 * only audits move; a bad-holder report from a node in good standing is a hint that queues a
 * prompt audit, nothing more.
 *
 * <p>Holdings are in memory: after a restart the service asks each node for its holdings
 * again ({@code wantHoldings}). The nodes themselves (key, address, zone, last reported
 * numbers) are restored from {@link KnownNodesFile} as not live ({@link #restore}), so
 * LIST_NODES still names a donor whose next heartbeat has not arrived yet; reputations and
 * unproven blobs come from {@link ReputationFile}. Not gossiped: donors heartbeat to
 * every metadata service, and each service audits on its own.
 */
final class NodeRegistry implements ContributionLedger.Members {
  private static final Logger LOG = Logger.getLogger(NodeRegistry.class.getName());
  /** Most nodes remembered; a new node past this evicts dead ones or is refused with BUSY. */
  static final int NODES_MAX = MetaMessages.NODES_MAX;
  /** Most audit hints one reporter may queue per audit round; more are ignored. */
  static final int HINTS_PER_REPORTER_PER_ROUND = 4;
  /** Most queued audit hints against one node at a time. */
  static final int HINTS_PER_OFFENDER_MAX = 4;
  /** Most queued audit hints in all, whoever sent them. */
  static final int HINTS_MAX = 1_000;
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
    byte[] lastSignature; // null for a node restored from the file: its timestamp alone counts
    long lastSeenNanos;
    Set<ContentId> holdings; // null until the node sends them
    /** Claimed blobs whose latest audit failed or went unanswered: not counted as held. */
    Set<ContentId> unproven = new HashSet<>();
    /** Claimed blobs whose latest audit here passed: what the contribution ledger credits. */
    Set<ContentId> proven = new HashSet<>();
    Reputation reputation = Reputation.fresh();
    /** Hints this node sent as a reporter in the current audit round. */
    int hintsSent;
    /** Hints queued against this node as an offender. */
    int hintsPending;

    NodeState(PublicKey key) {
      this.key = key;
      this.keyBytes = key.toBytes();
    }
  }

  private final long deadAfterNanos;
  private final LongSupplier nanoClock;
  private final Map<PublicKey, NodeState> nodes = new HashMap<>();
  private final Map<ContentId, Set<PublicKey>> holders = new HashMap<>();
  /** Saved reputations of nodes that have not heartbeated since the service started. */
  private final Map<PublicKey, ReputationFile.Saved> dormant;
  private final ArrayDeque<Hint> hints = new ArrayDeque<>();
  private final AuditCounters counters;
  private boolean reputationChanged;
  /** Whether a node came, went or changed its address or zone since the last known-nodes save. */
  private boolean nodesChanged;

  /** A (node, blob) pair a report asked to audit promptly. */
  record Hint(PublicKey offender, ContentId blob) {}

  NodeRegistry(Duration deadAfter, LongSupplier nanoClock) {
    this(deadAfter, nanoClock, Map.of(), new AuditCounters());
  }

  NodeRegistry(Duration deadAfter, LongSupplier nanoClock,
      Map<PublicKey, ReputationFile.Saved> saved, AuditCounters counters) {
    this.deadAfterNanos = deadAfter.toNanos();
    this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
    this.dormant = new HashMap<>(saved);
    this.counters = java.util.Objects.requireNonNull(counters, "counters");
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
      ReputationFile.Saved saved = dormant.remove(key);
      if (saved != null) {
        node.reputation = saved.reputation();
        node.unproven = new HashSet<>(saved.unproven());
      }
      nodes.put(key, node);
    }
    if (!beat.address().equals(node.address) || !beat.zone().equals(node.zone)) {
      nodesChanged = true;
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
        && (node.lastSignature == null || Arrays.equals(beat.signature(), node.lastSignature))) {
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
    nodesChanged |= !dead.isEmpty();
    for (NodeState n : dead) {
      replaceHoldings(n, null);
      nodes.remove(n.key);
      if (n.reputation.disqualified() && dormant.size() < NODES_MAX) {
        // Forgetting a disqualified node would let it come back with a clean record.
        dormant.put(n.key, new ReputationFile.Saved(n.reputation, Set.copyOf(n.unproven)));
      }
    }
    if (nodes.size() >= NODES_MAX) {
      throw new CairnException(ErrorCode.BUSY, "this metadata service already tracks "
          + NODES_MAX + " live nodes");
    }
  }

  private void replaceHoldings(NodeState node, Set<ContentId> newHoldings) {
    unindex(node);
    node.holdings = newHoldings;
    if (newHoldings == null) {
      node.proven.clear();
    } else {
      node.unproven.retainAll(newHoldings);
      node.proven.retainAll(newHoldings);
      index(node);
    }
  }

  /** Adds the node's counted holdings (claimed, not unproven) unless it is disqualified. */
  private void index(NodeState node) {
    if (node.holdings == null || node.reputation.disqualified()) {
      return;
    }
    for (ContentId id : node.holdings) {
      if (!node.unproven.contains(id)) {
        holders.computeIfAbsent(id, k -> new HashSet<>(4)).add(node.key);
      }
    }
  }

  private void unindex(NodeState node) {
    if (node.holdings != null) {
      for (ContentId id : node.holdings) {
        unindex(node, id);
      }
    }
  }

  private void unindex(NodeState node, ContentId id) {
    Set<PublicKey> keys = holders.get(id);
    if (keys != null && keys.remove(node.key) && keys.isEmpty()) {
      holders.remove(id);
    }
  }

  private boolean isLive(NodeState node, long nowNanos) {
    return nowNanos - node.lastSeenNanos < deadAfterNanos;
  }

  /**
   * Returns, for each id, how many live nodes not disqualified count as holding it (the
   * holders PLACEMENT would name), for the status page's redundancy health.
   */
  synchronized int[] liveHolderCounts(List<ContentId> ids) {
    long now = nanoClock.getAsLong();
    int[] counts = new int[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      for (PublicKey holder : holders.getOrDefault(ids.get(i), Set.of())) {
        NodeState node = nodes.get(holder);
        if (node != null && isLive(node, now) && !node.reputation.disqualified()) {
          counts[i]++;
        }
      }
    }
    return counts;
  }

  /** Returns every known node, live or not, ordered by key. */
  synchronized List<NodeInfo> nodes() {
    long now = nanoClock.getAsLong();
    List<NodeState> sorted = new ArrayList<>(nodes.values());
    sorted.sort(Comparator.comparing((NodeState n) -> n.keyBytes, Arrays::compareUnsigned));
    List<NodeInfo> infos = new ArrayList<>(sorted.size());
    for (NodeState n : sorted) {
      long silenceMillis = Duration.ofNanos(Math.max(0, now - n.lastSeenNanos)).toMillis();
      Reputation r = n.reputation;
      infos.add(new NodeInfo(n.keyBytes, n.address, isLive(n, now), n.capacityBytes,
          n.usedBytes, n.blobCount, silenceMillis, r.scoreMillionths(), r.standing(),
          r.passed(), r.failed(), r.unanswered(), n.zone));
    }
    return infos;
  }

  /**
   * Drops the record of node {@code key} (address, zone, holdings, counts), so that {@code
   * cairn status} and placement no longer list it; a node that heartbeats again registers
   * anew. A disqualified node's reputation is kept, so forgetting it never clears its record.
   * NOT_FOUND for a node not known here; UNAUTHORIZED for a live node unless {@code
   * liveAllowed} (the caller checked the operator's signature). Returns whether it was live.
   */
  synchronized boolean forget(PublicKey key, boolean liveAllowed) {
    NodeState node = nodes.get(key);
    if (node == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no node " + key.fingerprint()
          + " is known to this metadata service");
    }
    long silenceMillis = Duration.ofNanos(nanoClock.getAsLong() - node.lastSeenNanos)
        .toMillis();
    boolean live = isLive(node, nanoClock.getAsLong());
    if (live && !liveAllowed) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "node " + key.fingerprint() + " at "
          + node.address + " is live (last heartbeat " + silenceMillis + " ms ago) and would "
          + "register again with its next heartbeat; stop it first, or force it with this "
          + "service's own key (cairn node forget --force --service-key DATA/node.key)");
    }
    replaceHoldings(node, null);
    nodes.remove(key);
    if (node.reputation.disqualified() && dormant.size() < NODES_MAX) {
      dormant.put(key, new ReputationFile.Saved(node.reputation, Set.copyOf(node.unproven)));
    }
    reputationChanged = true; // the reputation file drops (or keeps, if dormant) it too
    nodesChanged = true;
    LOG.info("forgot node " + key.fingerprint() + " at " + node.address + " ("
        + (live ? "live, forced" : "silent for " + silenceMillis + " ms") + ")");
    return live;
  }

  /**
   * For each id: the live nodes that should hold it ({@link VettingShare#rankAcrossZones}: in
   * distinct zones while enough are live, never a disqualified one) and the live nodes counted
   * as holding it (see the class comment). BUSY if the request would cost too much CPU.
   */
  synchronized List<BlobPlacement> placement(int replicas, List<ContentId> ids) {
    long now = nanoClock.getAsLong();
    List<Placement.Node> live = new ArrayList<>();
    Set<PublicKey> liveKeys = new HashSet<>();
    Set<ByteBuffer> vetting = new HashSet<>(); // wrapped keys compare by content
    for (NodeState n : nodes.values()) {
      if (isLive(n, now) && !n.reputation.disqualified()) {
        live.add(new Placement.Node(n.keyBytes, n.zone));
        liveKeys.add(n.key);
        if (n.reputation.standing() == NodeStanding.VETTING) {
          vetting.add(ByteBuffer.wrap(n.keyBytes));
        }
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
      VettingShare.rankAcrossZones(id, live, key -> vetting.contains(ByteBuffer.wrap(key)),
          replicas)
          .stream().limit(replicas).forEach(node -> placed.add(node.key()));
      result.add(new BlobPlacement(placed, holding));
    }
    return result;
  }

  /**
   * Takes a signed report that {@code offender} served bytes not matching {@code blobId} as a
   * hint: it never lowers a score, it queues a prompt audit of that node for that blob. The
   * reporter must be a node that heartbeats here and must not report itself (UNAUTHORIZED
   * otherwise; BAD_SIGNATURE if forged, NOT_FOUND for an unknown offender). A report from a
   * node not in good standing (vetting or disqualified), past {@link
   * #HINTS_PER_REPORTER_PER_ROUND}, or about a blob the offender does not claim is accepted
   * and ignored, so that free keys buy nothing. Returns whether an audit was queued.
   */
  synchronized boolean reportBadHolder(BadHolderReport report) {
    PublicKey reporterKey = PublicKey.fromBytes(report.reporterKey());
    reporterKey.checkSignature(SignatureDomain.BAD_HOLDER, report.signedMessage(),
        report.signature(), "bad-holder report of node " + reporterKey.fingerprint());
    NodeState reporter = nodes.get(reporterKey);
    if (reporter == null) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "node " + reporterKey.fingerprint()
          + " does not heartbeat to this service; only registered nodes may report peers");
    }
    PublicKey offenderKey = PublicKey.fromBytes(report.offenderKey());
    if (offenderKey.equals(reporterKey)) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "a node cannot report itself");
    }
    NodeState offender = nodes.get(offenderKey);
    if (offender == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no node " + offenderKey.fingerprint()
          + " is known here");
    }
    boolean useful = reporter.reputation.inGoodStanding()
        && reporter.hintsSent < HINTS_PER_REPORTER_PER_ROUND
        && offender.hintsPending < HINTS_PER_OFFENDER_MAX && hints.size() < HINTS_MAX
        && offender.holdings != null && offender.holdings.contains(report.blobId())
        && !hints.contains(new Hint(offenderKey, report.blobId()));
    if (!useful) {
      counters.reportsIgnored.incrementAndGet();
      return false;
    }
    reporter.hintsSent++;
    offender.hintsPending++;
    hints.add(new Hint(offenderKey, report.blobId()));
    counters.reportsQueued.incrementAndGet();
    return true;
  }

  /**
   * Returns one audit per live node (disqualified ones too, so they can recover): a blob
   * drawn by {@code random} among its claims that {@code auditable} knows a chunk root for.
   * Nodes claiming nothing auditable are skipped. Starts a new round of reporter limits.
   */
  synchronized List<Auditor.Challenge> roundChallenges(
      Function<ContentId, BatchRef> auditable, java.util.Random random) {
    long now = nanoClock.getAsLong();
    List<Auditor.Challenge> out = new ArrayList<>();
    for (NodeState node : nodes.values()) {
      node.hintsSent = 0;
      if (!isLive(node, now) || node.holdings == null || node.holdings.isEmpty()) {
        continue;
      }
      List<BatchRef> candidates = new ArrayList<>();
      for (ContentId id : node.holdings) {
        BatchRef blob = auditable.apply(id);
        if (blob != null) {
          candidates.add(blob);
        }
      }
      if (!candidates.isEmpty()) {
        BatchRef blob = candidates.get(random.nextInt(candidates.size()));
        out.add(Auditor.Challenge.of(node.key, node.address, blob, random, false));
      }
    }
    return out;
  }

  /** Takes every queued hint whose node is still live and still claims the blob. */
  synchronized List<Auditor.Challenge> takeHints(
      Function<ContentId, BatchRef> auditable, java.util.Random random) {
    long now = nanoClock.getAsLong();
    List<Auditor.Challenge> out = new ArrayList<>();
    for (Hint hint = hints.poll(); hint != null; hint = hints.poll()) {
      NodeState node = nodes.get(hint.offender());
      if (node == null) {
        continue;
      }
      node.hintsPending = Math.max(0, node.hintsPending - 1);
      BatchRef blob = auditable.apply(hint.blob());
      if (isLive(node, now) && node.holdings != null && node.holdings.contains(hint.blob())
          && blob != null) {
        out.add(Auditor.Challenge.of(node.key, node.address, blob, random, true));
      }
    }
    return out;
  }

  /** Returns whether reports have queued audits that no round has taken yet. */
  synchronized boolean hasHints() {
    return !hints.isEmpty();
  }

  /**
   * Records what an audit of {@code node} for {@code blob} found: moves its reputation, and
   * stops (failed, unanswered) or resumes (passed) counting it as the blob's holder.
   */
  synchronized void recordAudit(PublicKey key, ContentId blob, Reputation.Outcome outcome,
      String detail) {
    NodeState node = nodes.get(key);
    if (node == null) {
      return; // evicted meanwhile
    }
    reputationChanged = true;
    boolean claimed = node.holdings != null && node.holdings.contains(blob);
    if (outcome == Reputation.Outcome.PASSED && claimed) {
      node.proven.add(blob);
    } else if (outcome == Reputation.Outcome.FAILED) {
      node.proven.clear(); // one claim proved false voids every proof: audits must earn them again
    } else {
      node.proven.remove(blob);
    }
    if (outcome == Reputation.Outcome.PASSED) {
      if (node.unproven.remove(blob) && claimed && !node.reputation.disqualified()) {
        holders.computeIfAbsent(blob, k -> new HashSet<>(4)).add(key);
      }
    } else if (claimed && node.unproven.add(blob)) {
      unindex(node, blob);
      LOG.info("node " + key.fingerprint() + " no longer counts as a holder of blob "
          + blob.toShortHex() + " until it passes an audit of it: " + outcome + ", "
          + detail);
    }
    Reputation.Change change = node.reputation.record(outcome);
    String numbers = String.format(java.util.Locale.ROOT,
        "score %.3f after %d passed, %d failed, %d unanswered audits", node.reputation.score(),
        node.reputation.passed(), node.reputation.failed(), node.reputation.unanswered());
    if (change == Reputation.Change.DISQUALIFIED) {
      unindex(node);
      counters.disqualifications.incrementAndGet();
      LOG.info("node " + key.fingerprint() + " at " + node.address + " is DISQUALIFIED: "
          + numbers + "; its claims no longer count");
    } else if (change == Reputation.Change.REINSTATED) {
      index(node);
      counters.reinstatements.incrementAndGet();
      LOG.info("node " + key.fingerprint() + " at " + node.address + " is reinstated: "
          + numbers);
    }
  }

  /**
   * Returns, for every live node that is not disqualified, the bytes of the blobs it claims
   * whose latest audit here passed, sized by {@code sizes} (the signed manifests' byte sizes;
   * a blob no manifest here names counts nothing): what the contribution ledger credits.
   */
  synchronized Map<PublicKey, Long> auditedBytes(Function<ContentId, BatchRef> sizes) {
    long now = nanoClock.getAsLong();
    Map<PublicKey, Long> out = new HashMap<>();
    for (NodeState node : nodes.values()) {
      if (!isLive(node, now) || node.reputation.disqualified()) {
        continue;
      }
      long bytes = 0;
      for (ContentId id : node.proven) {
        BatchRef blob = sizes.apply(id);
        if (blob != null) {
          bytes += blob.byteSize();
        }
      }
      out.put(node.key, bytes);
    }
    return out;
  }

  /** Returns the node's standing, or null if it is not known here (nor remembered). */
  @Override
  public synchronized NodeStanding standing(PublicKey key) {
    NodeState node = nodes.get(key);
    if (node != null) {
      return node.reputation.standing();
    }
    ReputationFile.Saved saved = dormant.get(key);
    return saved == null ? null : saved.reputation().standing();
  }

  /**
   * Returns every node's reputation and unproven blobs for {@link ReputationFile}, or null if
   * nothing changed since the last call.
   */
  synchronized Map<PublicKey, ReputationFile.Saved> takeChangedReputations() {
    if (!reputationChanged) {
      return null;
    }
    reputationChanged = false;
    Map<PublicKey, ReputationFile.Saved> out = new HashMap<>(dormant);
    for (NodeState node : nodes.values()) {
      Reputation r = node.reputation;
      out.put(node.key, new ReputationFile.Saved(Reputation.restored(r.alpha(), r.beta(),
          r.passed(), r.failed(), r.unanswered(), r.disqualified()), Set.copyOf(node.unproven)));
    }
    return out;
  }

  /**
   * Lists the nodes saved in {@link KnownNodesFile} as known but not live (holdings unknown,
   * so the first heartbeat of each is asked for them), with the reputation saved for each.
   * Their silence counts from {@code lastHeardMillis} on the wall clock ({@code nowMillis} now),
   * and at least {@code deadAfter}, so none is live before it heartbeats. Call before serving.
   */
  synchronized void restore(List<KnownNodesFile.Known> known, long nowMillis) {
    long now = nanoClock.getAsLong();
    for (KnownNodesFile.Known saved : known) {
      if (nodes.containsKey(saved.key()) || nodes.size() >= NODES_MAX) {
        continue;
      }
      NodeState node = new NodeState(saved.key());
      node.address = saved.address();
      node.zone = saved.zone();
      node.capacityBytes = saved.capacityBytes();
      node.usedBytes = saved.usedBytes();
      node.blobCount = saved.blobCount();
      node.timestampMillis = saved.heartbeatTimestampMillis();
      long silentMillis = Math.max(0, nowMillis - saved.lastHeardMillis());
      node.lastSeenNanos = now - Math.max(deadAfterNanos,
          Duration.ofMillis(silentMillis).toNanos());
      ReputationFile.Saved reputation = dormant.remove(saved.key());
      if (reputation != null) {
        node.reputation = reputation.reputation();
        node.unproven = new HashSet<>(reputation.unproven());
      }
      nodes.put(saved.key(), node);
    }
  }

  /**
   * Returns every node heard from within {@link KnownNodesFile#FORGET_AFTER} for {@link
   * KnownNodesFile}, with its last-heard time on the wall clock ({@code nowMillis} now); null
   * unless a node came, went or moved since the last call, or {@code evenIfUnchanged}.
   */
  synchronized List<KnownNodesFile.Known> takeKnownNodes(long nowMillis,
      boolean evenIfUnchanged) {
    if (!nodesChanged && !evenIfUnchanged) {
      return null;
    }
    nodesChanged = false;
    long now = nanoClock.getAsLong();
    List<KnownNodesFile.Known> out = new ArrayList<>(nodes.size());
    for (NodeState n : nodes.values()) {
      long silentMillis = Duration.ofNanos(Math.max(0, now - n.lastSeenNanos)).toMillis();
      if (silentMillis <= KnownNodesFile.FORGET_AFTER.toMillis() && !n.address.isEmpty()) {
        out.add(new KnownNodesFile.Known(n.key, nowMillis - silentMillis, n.timestampMillis,
            n.capacityBytes, n.usedBytes, n.blobCount, n.address, n.zone));
      }
    }
    return out;
  }
}
