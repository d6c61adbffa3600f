package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.server.store.BlobStore;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.rpc.ChunkAudit.Result;
import dev.cairn.wire.rpc.ChunkAudit;
import dev.cairn.wire.rpc.VerifiedBlobRead;
import dev.cairn.wire.rpc.VerifiedChunkRead.ChunkSource;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Audits the peers this donor shares blobs with (docs/protocol.md 8.7, 9.7): after a random
 * pause (half to one and a half times {@code audit-interval}, from {@link SecureRandom}, so a
 * peer cannot predict when, what or whom), it picks a random blob it holds itself whose kept
 * manifest gives a chunk root, a random other live node claiming it, and a random chunk, sends
 * GET_CHUNK and judges the answer with {@link ChunkAudit}, taking the true bytes from its own
 * copy when a proof fails.
 *
 * <p>A holder found FAILED or MISSING is reported to the metadata service with the signed
 * REPORT_BAD_HOLDER, and for {@link #DISTRUST_FOR} this donor's repair planning neither counts
 * it as a holder of that blob nor picks it as a target for it, so this donor keeps (or takes)
 * a copy in its place. NO_ANSWER counts nothing but a counter: liveness is the heartbeats'
 * business. MANIFEST_WRONG is logged and that blob is not audited against that root again.
 * One audit at a time, each taking one chunk of the pull rate limit.
 *
 * <p>Shards have no chunk root (manifest format 3 signs only their ids), so a donor holding a
 * shard of a stripe audits the other shards of that stripe by reading one whole, within the
 * pull rate limit, and checking it against its signed id (docs/protocol.md 8.7); the verdicts
 * and what follows are the same as for chunks.
 */
final class PeerAuditor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PeerAuditor.class.getName());
  /** How long a holder that failed an audit of a blob is not counted as holding it here. */
  static final Duration DISTRUST_FOR = Duration.ofHours(1);
  /** Most (blob, holder) pairs distrusted at once; the oldest are forgotten first. */
  static final int DISTRUSTED_MAX = 65_536;

  /** Sends the signed report of a holder that failed an audit. */
  @FunctionalInterface
  interface Reporter {
    void report(Peer offender, ContentId id);
  }

  /**
   * A blob this donor holds and can chunk-audit, and the other live nodes claiming it; or
   * ({@code wholeShard}) another shard of a stripe this donor holds a shard of, which is read
   * whole and checked against its signed id, since shards have no chunk root.
   */
  private record Candidate(Need need, List<Peer> claimants, boolean wholeShard) {}

  /**
   * Largest shard audited by reading it whole ({@link Stripe#AUDITED_SHARD_BYTES_MAX}, which our
   * publisher never exceeds); larger shards, from another writer, are counted as unauditable
   * ({@link HealCounters#unauditableShards}) and checked only by readers, repairs and their
   * holders' scrubbers.
   */
  static final long SHARD_AUDIT_BYTES_MAX = Stripe.AUDITED_SHARD_BYTES_MAX;

  /** A holder that failed an audit of one blob. */
  private record Distrust(ContentId id, PublicKey holder) {}

  private final PublicKey me;
  private final BlobStore store;
  private final PeerPuller puller;
  private final Reporter reporter;
  private final HealCounters counters;
  private final Duration interval;
  private final SecureRandom random = new SecureRandom();
  private final ScheduledExecutorService timer;
  private volatile List<Candidate> candidates = List.of();
  private volatile List<Candidate> shardCandidates = List.of();
  /** Deadline (System.nanoTime) per distrusted pair, oldest first; guarded by itself. */
  private final LinkedHashMap<Distrust, Long> distrusted = new LinkedHashMap<>();
  /** Blob ids whose manifest root their true bytes do not have; guarded by itself. */
  private final LinkedHashMap<ContentId, ContentId> wrongRoots = new LinkedHashMap<>();

  PeerAuditor(PublicKey me, BlobStore store, PeerPuller puller, Reporter reporter,
      HealCounters counters, Duration interval) {
    this.me = requireNonNull(me, "me");
    this.store = requireNonNull(store, "store");
    this.puller = requireNonNull(puller, "puller");
    this.reporter = requireNonNull(reporter, "reporter");
    this.counters = requireNonNull(counters, "counters");
    this.interval = requireNonNull(interval, "interval");
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cairn-peer-audit");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts auditing after a first random pause. */
  void start() {
    scheduleNext();
  }

  private void scheduleNext() {
    if (timer.isShutdown()) {
      return;
    }
    long meanMs = interval.toMillis();
    long delayMs = meanMs / 2 + (long) (random.nextDouble() * meanMs);
    try {
      timer.schedule(this::tick, Math.max(1, delayMs), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() ran meanwhile
    }
  }

  private void tick() {
    try {
      auditOnce();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "peer audit failed unexpectedly", e);
    }
    scheduleNext();
  }

  /**
   * Takes the auditable blobs from a round's view: those held here, with a chunk root, that
   * other live nodes claim.
   */
  void offer(ClusterView view, Predicate<ContentId> heldHere) {
    List<Candidate> fresh = new ArrayList<>();
    for (Need need : view.needs().values()) {
      if (need.chunkRoot() == null || !heldHere.test(need.id()) || knownWrong(need)) {
        continue;
      }
      List<Peer> claimants = new ArrayList<>();
      for (PublicKey holder : view.holders().getOrDefault(need.id(), List.of())) {
        Peer peer = view.liveNodes().get(holder);
        if (peer != null && !holder.equals(me)) {
          claimants.add(peer);
        }
      }
      if (!claimants.isEmpty()) {
        fresh.add(new Candidate(need, List.copyOf(claimants), false));
      }
    }
    candidates = List.copyOf(fresh);
  }

  /**
   * Takes the auditable shards from a round's view: for every stripe this donor holds a shard
   * of, each other shard of at most {@link #SHARD_AUDIT_BYTES_MAX} that other live nodes claim.
   * Only a donor of the stripe audits it, as only holders of a blob chunk-audit that blob, so
   * a node cannot make another pay audit traffic for stripes it has no part in.
   */
  void offerShards(List<StripeRepair.StripeNeed> stripes,
      Map<ContentId, List<PublicKey>> shardHolders, Map<PublicKey, Peer> live,
      Predicate<ContentId> heldHere) {
    List<Candidate> fresh = new ArrayList<>();
    long unauditable = 0;
    for (StripeRepair.StripeNeed stripe : stripes) {
      List<ContentId> ids = stripe.batch().shardIds();
      if (ids.stream().noneMatch(heldHere)) {
        continue;
      }
      if (!Stripe.auditable(stripe.shardBytes())) {
        unauditable += ids.size();
        continue;
      }
      for (ContentId id : ids) {
        List<Peer> claimants = new ArrayList<>();
        for (PublicKey holder : shardHolders.getOrDefault(id, List.of())) {
          Peer peer = live.get(holder);
          if (peer != null && !holder.equals(me)) {
            claimants.add(peer);
          }
        }
        if (!claimants.isEmpty()) {
          fresh.add(new Candidate(new Need(id, stripe.writerFingerprint(), 1,
              stripe.shardBytes()), List.copyOf(claimants), true));
        }
      }
    }
    shardCandidates = List.copyOf(fresh);
    if (unauditable > 0 && counters.unauditableShards() != unauditable) {
      LOG.warning("UNAUDITABLE shards: " + unauditable + " shards of stripes held here are"
          + " larger than the " + Stripe.AUDITED_SHARD_BYTES_MAX + " bytes a peer audit reads"
          + " whole; another writer published them, and they are not audited");
    }
    counters.unauditableShards(unauditable);
  }

  /** Returns how many blobs and shards the last offered view left to audit. */
  int candidateCount() {
    return candidates.size() + shardCandidates.size();
  }

  /** Audits one random (blob, claimant, chunk); returns null when there is nothing to audit. */
  Result auditOnce() throws InterruptedException {
    List<Candidate> blobs = candidates;
    List<Candidate> shards = shardCandidates;
    int pool = blobs.size() + shards.size();
    if (pool == 0) {
      return null;
    }
    int drawn = random.nextInt(pool);
    Candidate candidate = drawn < blobs.size() ? blobs.get(drawn)
        : shards.get(drawn - blobs.size());
    Need need = candidate.need();
    Peer peer = candidate.claimants().get(random.nextInt(candidate.claimants().size()));
    if (candidate.wholeShard()) {
      Result result = auditShard(need, peer);
      judge(need, peer, result);
      return result;
    }
    // ChunkAudit names a size no blob has MANIFEST_WRONG without asking; any index does.
    int chunkIndex = need.sizeBytes() > BlobMessages.BLOB_BYTES_MAX
        ? 0 : ChunkAudit.randomChunk(need.sizeBytes(), random);
    String holder = "peer " + peer.key().fingerprint() + " at " + peer.address();
    Result result;
    try {
      ChunkSource chunks = puller.chunks(peer);
      result = ChunkAudit.run(chunks, () -> ourTree(need.id()), holder, need.id(),
          need.sizeBytes(), need.chunkRoot(), chunkIndex);
    } catch (CairnException unreachable) {
      result = new Result(ChunkAudit.Verdict.NO_ANSWER, chunkIndex, "cannot reach " + holder
          + ": " + unreachable.getMessage());
    }
    judge(need, peer, result);
    return result;
  }

  /**
   * Reads a shard whole from {@code peer}, checked against its signed id: PASSED when it
   * matches, FAILED when the bytes or their size are wrong, MISSING on NOT_FOUND.
   */
  private Result auditShard(Need need, Peer peer) throws InterruptedException {
    String what = "peer " + peer.key().fingerprint() + " at " + peer.address() + ", shard "
        + need.id().toShortHex();
    try {
      puller.fetch(need, peer);
      return new Result(ChunkAudit.Verdict.PASSED, 0, what + ": the whole shard verifies");
    } catch (CairnException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return new Result(ChunkAudit.Verdict.MISSING, 0, what + ": the holder says it does"
            + " not have the shard it claims (" + e.detail() + ")");
      }
      if (VerifiedBlobRead.isLie(e.code())) {
        return new Result(ChunkAudit.Verdict.FAILED, 0, what + ": served bytes that are not"
            + " the shard (" + e.detail() + ")");
      }
      return new Result(ChunkAudit.Verdict.NO_ANSWER, 0, what + ": no answer (" + e + ")");
    }
  }

  /**
   * The true tree of this donor's own copy, from its leaf-hash sidecar (the blob is read and
   * checked against its id only when the sidecar is missing); a local failure is IO_ERROR,
   * never a lie about the peer.
   */
  private ChunkTree ourTree(ContentId id) {
    try {
      return store.chunkTree(id);
    } catch (IOException | CairnException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "our own copy of " + id.toShortHex()
          + " cannot be used: " + e.getMessage(), e);
    }
  }

  private void judge(Need need, Peer peer, Result result) {
    switch (result.verdict()) {
      case PASSED -> counters.auditPassed();
      case NO_ANSWER -> {
        counters.auditUnanswered();
        LOG.fine("audit: " + result.detail());
      }
      case MANIFEST_WRONG -> {
        counters.auditManifestWrong();
        synchronized (wrongRoots) {
          wrongRoots.put(need.id(), need.chunkRoot());
          trim(wrongRoots);
        }
        LOG.warning("audit: " + result.detail());
      }
      case FAILED, MISSING -> {
        counters.auditFailed();
        distrust(need.id(), peer.key());
        LOG.warning("audit: " + result.detail() + "; reporting it, and not counting it as a"
            + " holder of " + need.id().toShortHex() + " here for " + DISTRUST_FOR);
        reporter.report(peer, need.id());
      }
    }
  }

  private boolean knownWrong(Need need) {
    synchronized (wrongRoots) {
      return need.chunkRoot().equals(wrongRoots.get(need.id()));
    }
  }

  private void distrust(ContentId id, PublicKey holder) {
    synchronized (distrusted) {
      Distrust key = new Distrust(id, holder);
      distrusted.remove(key); // re-inserted last: the newest deadline
      distrusted.put(key, System.nanoTime() + DISTRUST_FOR.toNanos());
      trim(distrusted);
    }
  }

  private static void trim(LinkedHashMap<?, ?> map) {
    Iterator<?> oldest = map.keySet().iterator();
    while (map.size() > DISTRUSTED_MAX && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /** Returns true while {@code holder} is not counted as holding {@code id} here. */
  boolean distrusts(ContentId id, PublicKey holder) {
    synchronized (distrusted) {
      Long deadline = distrusted.get(new Distrust(id, holder));
      if (deadline == null) {
        return false;
      }
      if (System.nanoTime() - deadline >= 0) {
        distrusted.remove(new Distrust(id, holder));
        return false;
      }
      return true;
    }
  }

  /** Returns {@code view} without the holders this auditor distrusts for each blob. */
  ClusterView withoutDistrusted(ClusterView view) {
    return new ClusterView(view.needs(), view.releasable(), view.liveNodes(),
        withoutDistrusted(view.holders()));
  }

  /** Returns {@code holdersById} without the holders this auditor distrusts for each id. */
  Map<ContentId, List<PublicKey>> withoutDistrusted(
      Map<ContentId, List<PublicKey>> holdersById) {
    Map<ContentId, List<PublicKey>> holders = new HashMap<>();
    holdersById.forEach((id, keys) -> {
      List<PublicKey> kept = new ArrayList<>(keys.size());
      for (PublicKey key : keys) {
        if (!distrusts(id, key)) {
          kept.add(key);
        }
      }
      holders.put(id, kept);
    });
    return holders;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
