package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.server.heal.RepairPlanner.Drop;
import dev.cairn.server.heal.RepairPlanner.Plan;
import dev.cairn.server.heal.RepairPlanner.Pull;
import dev.cairn.server.store.BlobStore;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.erasure.ReedSolomon;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import dev.cairn.wire.rpc.VerifiedBlobRead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this donor's share of every kept blob: each round takes a {@link MetaSnapshot},
 * plans with {@link RepairPlanner}, pulls what is missing from peers ({@link PeerPuller},
 * {@link #PULLS_PARALLEL} at a time, within the pull rate limit) and drops what placement has
 * moved elsewhere and its new holders have confirmed. The store's change count makes the
 * heartbeater report the new holdings, which is the confirmation other nodes wait for.
 *
 * <p>Rounds run every {@code repairInterval} on one thread, and at once after {@link
 * #runSoon} (the donor calls it when its store loses a blob). The first reachable metadata
 * service, in configured order, is used; a round that fails is logged and the next one tries
 * again. A peer whose bytes do not match their id is reported with a signed
 * REPORT_BAD_HOLDER, and the pull moves on to the next holder.
 *
 * <p>Each round also hands its view to the {@link PeerAuditor}, which chunk-audits peers on
 * its own random schedule, and plans without the holders that auditor distrusts.
 *
 * <p>When the round's view is whole, it last drops orphans ({@link OrphanCollector}): held
 * blobs no manifest of any configured metadata service names, unwanted for the orphan grace.
 */
public final class AntiEntropy implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AntiEntropy.class.getName());
  /** Blobs fetched at once. */
  static final int PULLS_PARALLEL = 4;
  /** Longest a connect or a single request may take. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  /**
   * Longest a round rebuilds shards from its snapshot; what is left waits for a round asked at
   * once, which plans from a fresh view. A donor that loses 1 GiB of shards has minutes of
   * rebuilds on a loaded machine, and a view that old may no longer be true (a donor that
   * looked dead for a moment is back, and rebuilding its shards elsewhere is waste).
   */
  static final Duration REBUILD_BUDGET = Duration.ofSeconds(10);

  private final List<InetSocketAddress> metas;
  private final SigningKey nodeKey;
  private final BlobStore store;
  private final BlobSink sink;
  private final HealConfig config;
  private final HealCounters counters;
  private final EventLoopGroup group;
  private final PeerPuller puller;
  private final PeerAuditor auditor;
  private final RepairPlanner planner;
  private final ScheduledExecutorService rounds;
  private final ExecutorService pulls;
  private volatile RpcConnection meta; // replaced only by the round thread
  /** The configured address {@link #meta} is connected to; read and written by rounds only. */
  private InetSocketAddress metaAddress;
  private final OrphanCollector orphans = new OrphanCollector();
  private volatile int underTarget = -1;
  private volatile HoldingsReport lastHoldings; // null before the first complete view
  /** True while a round asked for by {@link #runSoon} is queued and not yet started. */
  private final java.util.concurrent.atomic.AtomicBoolean soonQueued =
      new java.util.concurrent.atomic.AtomicBoolean();

  public AntiEntropy(List<InetSocketAddress> metas, SigningKey nodeKey, BlobStore store,
      BlobSink sink, HealConfig config, HealCounters counters, ChannelHandler shaper) {
    this.metas = List.copyOf(metas);
    this.nodeKey = requireNonNull(nodeKey, "nodeKey");
    this.store = requireNonNull(store, "store");
    this.sink = requireNonNull(sink, "sink");
    this.config = requireNonNull(config, "config");
    this.counters = requireNonNull(counters, "counters");
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Hello ours = new Hello(PeerRole.STORAGE_NODE, nodeKey.publicKey().toBytes());
    this.puller = new PeerPuller(group, ours, nodeKey, CALL_TIMEOUT,
        new RateLimiter(config.repairBytesPerSecond()), shaper);
    this.auditor = new PeerAuditor(nodeKey.publicKey(), store, puller, this::report, counters,
        config.auditInterval());
    this.planner = new RepairPlanner(nodeKey.publicKey());
    this.rounds = Executors.newSingleThreadScheduledExecutor(daemon("cairn-anti-entropy"));
    this.pulls = Executors.newFixedThreadPool(PULLS_PARALLEL, daemon("cairn-pull"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Starts the rounds, the first after one interval (heartbeats register the node first). */
  public void start() {
    if (metas.isEmpty()) {
      return; // a donor without a metadata service has nobody to learn placement from
    }
    long intervalMs = config.repairInterval().toMillis();
    rounds.scheduleWithFixedDelay(this::round, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    auditor.start();
  }

  /**
   * Asks for a round as soon as the current one (if any) ends; asks made while one is already
   * queued share it, so a hundred lost blobs cost one extra round, not a hundred.
   */
  public void runSoon() {
    if (metas.isEmpty() || rounds.isShutdown() || !soonQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      rounds.execute(() -> {
        soonQueued.set(false);
        round();
      });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      soonQueued.set(false);
    }
  }

  /** Returns what the last round saw per table and peer, or null before the first round. */
  public HoldingsReport lastHoldings() {
    return lastHoldings;
  }

  /** Returns how many needed blobs the last round saw short of their targets; -1 before. */
  public int underTargetLastRound() {
    return underTarget;
  }

  private void round() {
    try {
      // Taken before the snapshot: a head published after it cannot be in the snapshot, so only
      // blobs wanted last before it minus the grace may be taken for orphans.
      long cutoffMillis = System.currentTimeMillis() - config.orphanGrace().toMillis();
      MetaSnapshot snapshot = new MetaSnapshot(metaConnection(), CALL_TIMEOUT,
          config.keepVersionsByKey());
      ClusterView view = snapshot.take();
      auditor.offer(view, store::contains);
      view = auditor.withoutDistrusted(view);
      lastHoldings = HoldingsReport.of(view, snapshot.keptBlobsByTable(), store::contains);
      List<ContentId> held = store.list(null, Integer.MAX_VALUE);
      Plan plan = planner.plan(view, store::contains, held, auditor::distrusts);
      underTarget = plan.underTarget();
      int pulled = pullAll(plan.pulls());
      Map<ContentId, List<dev.cairn.wire.crypto.PublicKey>> shardHolders =
          auditor.withoutDistrusted(snapshot.shardHolders());
      auditor.offerShards(snapshot.stripes(), shardHolders, view.liveNodes(), store::contains);
      StripeRepair.Plan stripes = StripeRepair.plan(nodeKey.publicKey(), snapshot.stripes(),
          shardHolders, view.liveNodes());
      pulled += rebuildAll(stripes.rebuilds());
      int dropped = dropAll(plan.drops()) + releaseAll(stripes.releases());
      if (snapshot.complete()) {
        dropOrphans(snapshot, held, cutoffMillis);
      }
      audit(plan.audits());
      if (pulled > 0 || dropped > 0) {
        LOG.info("anti-entropy: pulled " + pulled + " of " + plan.pulls().size()
            + " missing blobs, dropped " + dropped + " copies placed elsewhere");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      closeMeta();
      LOG.log(Level.WARNING, "anti-entropy round failed: " + e.getMessage());
    } finally {
      counters.round();
    }
  }

  private RpcConnection metaConnection() {
    if (meta != null && meta.isOpen()) {
      return meta;
    }
    closeMeta();
    CairnException last = null;
    Hello ours = new Hello(PeerRole.STORAGE_NODE, nodeKey.publicKey().toBytes());
    for (InetSocketAddress address : metas) {
      try {
        InetSocketAddress resolved = address.isUnresolved()
            ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        meta = RpcConnection.connect(group, resolved, ours, CALL_TIMEOUT);
        metaAddress = address;
        return meta;
      } catch (CairnException e) {
        last = e;
      }
    }
    throw last != null ? last : new CairnException(ErrorCode.IO_ERROR, "no metadata service");
  }

  private int pullAll(List<Pull> wanted) throws InterruptedException {
    List<Future<Boolean>> futures = new ArrayList<>(wanted.size());
    for (Pull pull : wanted) {
      futures.add(pulls.submit(() -> pullOne(pull)));
    }
    int pulled = 0;
    for (Future<Boolean> future : futures) {
      try {
        pulled += future.get() ? 1 : 0;
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.log(Level.WARNING, "a pull failed unexpectedly", e.getCause());
      }
    }
    return pulled;
  }

  /**
   * Rebuilds each planned shard, one after another, for at most {@link #REBUILD_BUDGET} (then
   * asks for the next round at once); returns how many were stored.
   */
  private int rebuildAll(List<StripeRepair.Rebuild> rebuilds) throws InterruptedException {
    int rebuilt = 0;
    long deadline = System.nanoTime() + REBUILD_BUDGET.toNanos();
    for (StripeRepair.Rebuild rebuild : rebuilds) {
      if (System.nanoTime() - deadline > 0) {
        runSoon(); // the rest from a fresh view
        break;
      }
      try {
        rebuilt += rebuildOne(rebuild) ? 1 : 0;
      } catch (IOException e) {
        LOG.warning("cannot store a rebuilt shard: " + e);
      }
    }
    return rebuilt;
  }

  /**
   * Pulls any k verified shards of the stripe, decodes, and stores the planned shard if it
   * hashes to the id the writer signed; true once stored. A peer serving a bad shard is
   * reported as for a bad copy.
   */
  private boolean rebuildOne(StripeRepair.Rebuild rebuild)
      throws InterruptedException, IOException {
    StripeRepair.StripeNeed stripe = rebuild.stripe();
    List<ContentId> ids = stripe.batch().shardIds();
    ContentId wanted = ids.get(rebuild.shardIndex());
    if (store.contains(wanted)) {
      recheckOwn(wanted);
      return false;
    }
    int shardBytes = stripe.shardBytes();
    if (rebuild.copyable()) {
      // A shard moving to its place (a donor joined) is copied, not decoded: k times cheaper.
      byte[] copy = fetchShard(new Need(wanted, stripe.writerFingerprint(), 1, shardBytes),
          rebuild.sources().get(rebuild.shardIndex()));
      if (copy != null) {
        sink.store(stripe.writerFingerprint(), wanted, PeerPuller.wrap(copy));
        counters.pulled(copy.length);
        return true;
      }
    }
    byte[][] shards = new byte[ids.size()][];
    int verified = 0;
    for (Map.Entry<Integer, List<Peer>> source : rebuild.sources().entrySet()) {
      if (verified == stripe.dataShards()) {
        break;
      }
      if (source.getKey() == rebuild.shardIndex()) {
        continue; // its holders just failed to serve it
      }
      ContentId id = ids.get(source.getKey());
      shards[source.getKey()] = fetchShard(
          new Need(id, stripe.writerFingerprint(), 1, shardBytes), source.getValue());
      verified += shards[source.getKey()] == null ? 0 : 1;
    }
    if (verified < stripe.dataShards()) {
      return false;
    }
    boolean[] present = new boolean[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      present[i] = shards[i] != null;
      shards[i] = present[i] ? shards[i] : new byte[shardBytes];
    }
    ReedSolomon.of(stripe.dataShards(), stripe.parityShards())
        .reconstruct(shards, present, shardBytes, false);
    byte[] rebuilt = shards[rebuild.shardIndex()];
    if (!ContentId.of(rebuilt).equals(wanted)) {
      LOG.warning("shard " + rebuild.shardIndex() + " of batch "
          + stripe.batch().id().toShortHex() + " decodes to other bytes than the id its "
          + "manifest signs; not storing it");
      return false;
    }
    sink.store(stripe.writerFingerprint(), wanted, PeerPuller.wrap(rebuilt));
    counters.pulled(rebuilt.length);
    return true;
  }

  /**
   * Re-hashes a shard this node stores though the metadata service does not list it as its
   * holder: an audit failed it, or no heartbeat has reported it yet. A copy that no longer
   * matches its id is quarantined (the loss listener asks for a round), and rebuilt then.
   */
  private void recheckOwn(ContentId id) throws IOException {
    byte[] bytes;
    try {
      bytes = store.read(id);
    } catch (java.nio.file.NoSuchFileException gone) {
      return;
    }
    if (!ContentId.of(bytes).equals(id)) {
      store.quarantine(id, "the shard's bytes no longer match its id (found when the metadata"
          + " service stopped listing this node as its holder)");
    }
  }

  /**
   * Drops each shard whose place now holds it, after fetching and verifying the place's copy
   * (a holding is only a claim); returns how many were dropped.
   */
  private int releaseAll(List<StripeRepair.Release> releases) throws InterruptedException {
    List<Drop> drops = new ArrayList<>();
    for (StripeRepair.Release release : releases) {
      if (release.place() == null) {
        continue;
      }
      StripeRepair.StripeNeed stripe = release.stripe();
      ContentId id = stripe.batch().shardIds().get(release.shardIndex());
      Need need = new Need(id, stripe.writerFingerprint(), 1, stripe.shardBytes());
      drops.add(new Drop(id, need, List.of(release.place())));
    }
    return dropAll(drops);
  }

  /** Returns one shard's verified bytes from the first holder that serves them, else null. */
  private byte[] fetchShard(Need need, List<Peer> holders) throws InterruptedException {
    for (Peer source : puller.ordered(holders)) {
      try {
        return puller.fetch(need, source);
      } catch (CairnException e) {
        if (VerifiedBlobRead.isLie(e.code())) {
          counters.badPeer();
          report(source, need.id());
        }
      }
    }
    return null;
  }

  /** Tries the sources in order; true once the blob is stored here. */
  private boolean pullOne(Pull pull) throws InterruptedException {
    Need need = pull.need();
    for (Peer source : puller.ordered(pull.sources())) {
      try {
        byte[] blob = puller.fetch(need, source);
        sink.store(need.writerFingerprint(), need.id(), PeerPuller.wrap(blob));
        counters.pulled(blob.length);
        return true;
      } catch (CairnException e) {
        if (VerifiedBlobRead.isLie(e.code())) {
          counters.badPeer();
          LOG.warning("peer " + source.key().fingerprint() + " at " + source.address()
              + " served a corrupt copy of " + need.id().toShortHex() + "; reporting it");
          report(source, need.id());
        } else if (e.code() == ErrorCode.QUOTA_EXCEEDED || e.code() == ErrorCode.CAPACITY_FULL) {
          counters.refused();
          LOG.fine("not taking " + need.id().toShortHex() + ": " + e.getMessage());
          return false;
        } else {
          LOG.fine("pull of " + need.id().toShortHex() + " from " + source.address()
              + " failed: " + e.getMessage());
        }
      } catch (IOException e) {
        LOG.warning("cannot store pulled blob " + need.id().toShortHex() + ": " + e);
        return false;
      }
    }
    return false;
  }

  private void report(Peer offender, ContentId id) {
    byte[] me = nodeKey.publicKey().toBytes();
    byte[] them = offender.key().toBytes();
    long now = System.currentTimeMillis(); // a timestamp for the receiver, not a timeout
    byte[] signature = nodeKey.sign(SignatureDomain.BAD_HOLDER,
        BadHolderReport.signedMessage(me, them, id, now));
    ByteBuf payload = Unpooled.buffer();
    new BadHolderReport(me, them, id, now, signature).writeTo(payload);
    RpcConnection connection = meta;
    if (connection == null) {
      payload.release();
      return;
    }
    try {
      Exchanges.REPORT_BAD_HOLDER.call(connection, payload, CALL_TIMEOUT);
    } catch (CairnException e) { // the report is advisory; the pull goes on regardless
      LOG.fine("bad-holder report not delivered: " + e.getMessage());
    }
  }

  /**
   * Drops each blob or shard once every target it names has served a verified copy; returns
   * how many were dropped.
   */
  private int dropAll(List<Drop> drops) throws InterruptedException {
    int dropped = 0;
    for (Drop drop : drops) {
      ContentId id = drop.id();
      if (!targetsVerified(drop)) {
        continue;
      }
      try {
        if (sink.drop(id)) {
          counters.dropped();
          dropped++;
        }
      } catch (IOException e) {
        LOG.warning("cannot drop blob " + id.toShortHex() + ": " + e);
      }
    }
    return dropped;
  }

  /**
   * Fetches each target's copy and checks it: holdings are claims, and a node claiming copies
   * it does not have must not make honest nodes drop theirs. Costs R blob reads per dropped
   * copy, within the pull rate limit; drops happen on rebalancing only.
   */
  private boolean targetsVerified(Drop drop) throws InterruptedException {
    for (Peer target : drop.verifyFirst()) {
      if (target == null) {
        return false;
      }
      try {
        puller.fetch(drop.need(), target);
      } catch (CairnException e) {
        if (VerifiedBlobRead.isLie(e.code())) {
          counters.badPeer();
          LOG.warning("target " + target.key().fingerprint() + " claims blob "
              + drop.id().toShortHex() + " but served a corrupt copy; keeping ours");
          report(target, drop.id());
        }
        return false;
      }
    }
    return true;
  }

  /**
   * Drops the held blobs no manifest names ({@link OrphanCollector}) that no other configured
   * metadata service names either, releasing their charges; nothing when another service
   * cannot be read whole this round. Each drop re-checks, atomically with HAS and PUT, that no
   * writer wanted the blob since the cutoff.
   */
  private void dropOrphans(MetaSnapshot snapshot, List<ContentId> held, long cutoffMillis) {
    List<ContentId> candidates = orphans.orphans(held, snapshot.named(),
        store::lastWantedMillis, cutoffMillis);
    if (candidates.isEmpty()) {
      return;
    }
    java.util.Set<ContentId> namedElsewhere = namedByOtherServices();
    if (namedElsewhere == null) {
      return;
    }
    int dropped = 0;
    for (ContentId id : candidates) {
      try {
        if (!namedElsewhere.contains(id) && sink.dropOrphan(id, cutoffMillis)) {
          counters.orphanDropped();
          dropped++;
        }
      } catch (IOException e) {
        LOG.warning("cannot drop unreferenced blob " + id.toShortHex() + ": " + e);
      }
    }
    if (dropped > 0) {
      LOG.info("dropped " + dropped + " blobs that no signed manifest names, stored more than "
          + "orphan-grace (" + config.orphanGrace() + ") ago; their quota charges are released");
    }
  }

  /**
   * Returns every blob the configured metadata services other than the one this round read
   * name, or null when one of them cannot be reached or read whole: a service that lacks a
   * table another has must not make this donor drop it.
   */
  private java.util.Set<ContentId> namedByOtherServices() {
    java.util.Set<ContentId> named = new java.util.HashSet<>();
    Hello ours = new Hello(PeerRole.STORAGE_NODE, nodeKey.publicKey().toBytes());
    for (InetSocketAddress address : metas) {
      if (address.equals(metaAddress)) {
        continue;
      }
      InetSocketAddress resolved = address.isUnresolved()
          ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
      RpcConnection other = null;
      try {
        other = RpcConnection.connect(group, resolved, ours, CALL_TIMEOUT);
        MetaSnapshot snapshot = new MetaSnapshot(other, CALL_TIMEOUT,
            config.keepVersionsByKey());
        snapshot.take();
        if (!snapshot.complete()) {
          return null;
        }
        named.addAll(snapshot.named());
      } catch (CairnException e) {
        LOG.fine("keeping unreferenced blobs this round: metadata service " + address
            + " cannot be read: " + e.getMessage());
        return null;
      } finally {
        if (other != null) {
          other.close();
        }
      }
    }
    return named;
  }

  /** Fetches and verifies other targets' claimed copies; a bad one is reported. */
  private void audit(List<Pull> audits) throws InterruptedException {
    for (Pull audit : audits) {
      Peer target = audit.sources().get(0);
      try {
        puller.fetch(audit.need(), target);
      } catch (CairnException e) {
        if (VerifiedBlobRead.isLie(e.code())) {
          counters.badPeer();
          LOG.warning("audit: " + target.key().fingerprint() + " claims blob "
              + audit.need().id().toShortHex() + " but served a corrupt copy; reporting it");
          report(target, audit.need().id());
        }
      }
    }
  }

  private void closeMeta() {
    if (meta != null) {
      meta.close();
      meta = null;
    }
  }

  @Override
  public void close() {
    auditor.close();
    rounds.shutdownNow();
    pulls.shutdownNow();
    try {
      rounds.awaitTermination(5, TimeUnit.SECONDS);
      pulls.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    puller.close();
    closeMeta();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
