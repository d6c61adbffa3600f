package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.rpc.ChunkAudit.Verdict;
import dev.cairn.wire.rpc.ChunkAudit;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import dev.cairn.wire.rpc.VerifiedBlobRead;
import dev.cairn.wire.rpc.VerifiedChunkRead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * The metadata service as auditor (docs/operations.md, "Reputation"): each round challenges
 * every live node for one chunk of one blob it claims, drawn with {@link SecureRandom} among
 * the blobs whose chunk root a manifest held here signs, and checks the answer with {@link
 * ChunkAudit} (the same rule donors use). Reports from nodes in good standing add prompt
 * audits ({@link NodeRegistry#takeHints}). Outcomes go to {@link NodeRegistry#recordAudit};
 * reputations are saved to {@link ReputationFile} after each round that changed them.
 *
 * <p>Erasure-coded shards have no chunk root: a challenge for a shard (up to {@link
 * #SHARD_AUDIT_BYTES_MAX}) reads it whole and checks it against the id its manifest signs.
 *
 * <p>Bounded: one chunk (64 KiB plus its proof), or one shard of at most 16 MiB, per node per
 * round, at most {@link AuditSchedule#concurrency} challenges at once, each within {@link
 * AuditSchedule#timeout}; a failed proof costs one read of the whole blob to tell a lying
 * holder from a wrong manifest. Rounds never overlap.
 *
 * <p>Challenges are drawn from a snapshot taken under the {@link NodeRegistry}'s lock and
 * asked on worker threads outside it, so a donor that never answers delays only its own
 * challenge, never heartbeats, listings or placement (AuditIsolationTest).
 */
final class Auditor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Auditor.class.getName());
  /**
   * Largest erasure-coded shard audited by reading it whole and checking it against its
   * signed id (shards have no chunk root, docs/protocol.md 4.8); larger ones, which only
   * another writer's publisher makes, are counted as unauditable ({@link
   * TableRegistry#unauditableShardCount}) and not audited.
   */
  static final long SHARD_AUDIT_BYTES_MAX = dev.cairn.wire.erasure.Stripe.AUDITED_SHARD_BYTES_MAX;

  /** One challenge: ask {@code node} at {@code address} for {@code chunk} of {@code batch}. */
  record Challenge(PublicKey node, String address, BatchRef batch, int chunk,
      boolean hinted) {
    /** Draws the chunk index with {@code random}. */
    static Challenge of(PublicKey node, String address, BatchRef batch, Random random,
        boolean hinted) {
      return new Challenge(node, address, batch, ChunkAudit.randomChunk(batch.byteSize(),
          random), hinted);
    }
  }

  /** What one round did. */
  record Round(int passed, int failed, int unanswered, int notJudged) {
    int challenges() {
      return passed + failed + unanswered + notJudged;
    }
  }

  private final NodeRegistry nodes;
  private final TableRegistry tables;
  private final AuditSchedule schedule;
  private final Hello hello;
  private final EventLoopGroup group;
  private final ReputationFile file;
  private final AuditCounters counters;
  private final ContributionLedger ledger;
  /** The service's key, proved to donors so their reader policies see an audit. */
  private final SigningKey identity;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService workers;
  /** Serializes writes of the reputation file (a round's end and close may overlap). */
  private final Object saveLock = new Object();

  Auditor(NodeRegistry nodes, TableRegistry tables, AuditSchedule schedule, Hello hello,
      EventLoopGroup group, ReputationFile file, AuditCounters counters,
      ContributionLedger ledger, SigningKey identity) {
    this.ledger = requireNonNull(ledger, "ledger");
    this.identity = requireNonNull(identity, "identity");
    this.nodes = requireNonNull(nodes, "nodes");
    this.tables = requireNonNull(tables, "tables");
    this.schedule = requireNonNull(schedule, "schedule");
    this.hello = requireNonNull(hello, "hello");
    this.group = requireNonNull(group, "group");
    this.file = requireNonNull(file, "file");
    this.counters = requireNonNull(counters, "counters");
    this.workers = Executors.newFixedThreadPool(schedule.concurrency(), runnable -> {
      Thread thread = new Thread(runnable, "cairn-meta-audit");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Runs one full round: queued hints first, then one challenge per live node. */
  synchronized Round auditOnce() throws InterruptedException {
    List<Challenge> challenges = new ArrayList<>(nodes.takeHints(tables::auditable, random));
    challenges.addAll(nodes.roundChallenges(tables::auditable, random));
    counters.rounds.incrementAndGet();
    return run(challenges);
  }

  /** Audits only the queued hints, if any (the prompt audits reports ask for). */
  synchronized Round auditHints() throws InterruptedException {
    if (!nodes.hasHints()) {
      return new Round(0, 0, 0, 0);
    }
    return run(nodes.takeHints(tables::auditable, random));
  }

  /** Runs {@link #auditOnce} for the scheduler: logs instead of throwing. */
  void scheduledRound() {
    try {
      Round round = auditOnce();
      if (round.failed() + round.unanswered() > 0) {
        LOG.info("audit round: " + round.challenges() + " challenges, " + round.passed()
            + " passed, " + round.failed() + " failed, " + round.unanswered() + " unanswered");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warning("audit round failed: " + e);
    }
  }

  /** Runs {@link #auditHints} for the scheduler: logs instead of throwing. */
  void scheduledHints() {
    try {
      auditHints();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warning("prompt audits failed: " + e);
    }
  }

  private Round run(List<Challenge> challenges) throws InterruptedException {
    List<Future<Verdict>> verdicts = new ArrayList<>(challenges.size());
    for (Challenge challenge : challenges) {
      verdicts.add(workers.submit(() -> challenge(challenge)));
    }
    int passed = 0;
    int failed = 0;
    int unanswered = 0;
    int notJudged = 0;
    for (Future<Verdict> future : verdicts) {
      Verdict verdict;
      try {
        verdict = future.get();
      } catch (ExecutionException e) {
        verdict = Verdict.NO_ANSWER; // challenge() catches what it expects; be safe anyway
        LOG.warning("an audit failed unexpectedly: " + e.getCause());
      }
      switch (verdict) {
        case PASSED -> passed++;
        case FAILED, MISSING -> failed++;
        case NO_ANSWER -> unanswered++;
        case MANIFEST_WRONG -> notJudged++;
        default -> throw new IllegalStateException(verdict.name());
      }
    }
    save();
    return new Round(passed, failed, unanswered, notJudged);
  }

  /** Asks, judges and records one challenge; runs on a worker thread. */
  private Verdict challenge(Challenge c) throws InterruptedException {
    ChunkAudit.Result result = ask(c);
    Verdict verdict = result.verdict();
    switch (verdict) {
      case PASSED -> {
        counters.passed.incrementAndGet();
        nodes.recordAudit(c.node(), c.batch().id(), Reputation.Outcome.PASSED,
            result.detail());
      }
      case FAILED, MISSING -> {
        counters.failed.incrementAndGet();
        nodes.recordAudit(c.node(), c.batch().id(), Reputation.Outcome.FAILED,
            result.detail());
        ledger.forfeit(c.node(), "audit of blob " + c.batch().id().toShortHex() + " "
            + verdict);
      }
      case NO_ANSWER -> {
        counters.unanswered.incrementAndGet();
        nodes.recordAudit(c.node(), c.batch().id(), Reputation.Outcome.UNANSWERED,
            result.detail());
      }
      case MANIFEST_WRONG -> LOG.warning("audit not counted: " + result.detail());
      default -> throw new IllegalStateException(verdict.name());
    }
    return verdict;
  }

  private ChunkAudit.Result ask(Challenge c) throws InterruptedException {
    String holder = "node " + c.node().fingerprint() + " at " + c.address();
    InetSocketAddress address;
    try {
      address = HostPort.parse(c.address()).resolve();
    } catch (CairnException e) {
      return new ChunkAudit.Result(Verdict.NO_ANSWER, c.chunk(), holder
          + " has an unusable address: " + e.getMessage());
    }
    RpcConnection connection;
    try {
      connection = RpcConnection.connect(group, address, hello, identity, schedule.timeout(),
          null);
    } catch (CairnException e) {
      return new ChunkAudit.Result(Verdict.NO_ANSWER, c.chunk(), holder
          + " cannot be reached: " + e.getMessage());
    }
    try {
      if (!Arrays.equals(connection.peer().nodeKey(), c.node().toBytes())) {
        // Another node's server: answering with its storage proves nothing about this one.
        return new ChunkAudit.Result(Verdict.FAILED, c.chunk(), holder
            + " answers with another node's key");
      }
      if (c.batch().chunkRoot() == null) {
        return askWholeShard(connection, c, holder);
      }
      ChunkAudit.Result result = ChunkAudit.run(
          VerifiedChunkRead.over(connection, schedule.timeout()),
          ChunkAudit.trueTreeFromHolder((id, offset, length) -> {
            ByteBuf request = Unpooled.buffer(ContentId.BYTES + 16);
            new GetBlob(id, offset, length).writeTo(request);
            return Exchanges.GET_BLOB.send(connection, request, schedule.timeout());
          }, holder, c.batch().id(), VerifiedBlobRead.RangeGate.OPEN),
          holder, c.batch(), c.chunk());
      if (result.verdict() == Verdict.PASSED) {
        counters.chunkBytes.addAndGet(
            dev.cairn.wire.ChunkTree.chunkLength(c.batch().byteSize(), c.chunk()));
      }
      return result;
    } catch (CairnException e) {
      return new ChunkAudit.Result(Verdict.NO_ANSWER, c.chunk(), holder + ": " + e);
    } finally {
      connection.close();
    }
  }

  /**
   * Reads a shard whole and checks it against its id: PASSED, FAILED for other bytes or size,
   * MISSING on NOT_FOUND, NO_ANSWER otherwise.
   */
  private ChunkAudit.Result askWholeShard(RpcConnection connection, Challenge c, String holder)
      throws InterruptedException {
    String what = holder + ", shard " + c.batch().id().toShortHex();
    try {
      new VerifiedBlobRead((id, offset, length) -> {
        ByteBuf request = Unpooled.buffer(ContentId.BYTES + 16);
        new GetBlob(id, offset, length).writeTo(request);
        return Exchanges.GET_BLOB.send(connection, request, schedule.timeout());
      }, holder, c.batch().id(), c.batch().byteSize(),
          dev.cairn.wire.message.BlobMessages.BlobData.rangeBytesMax())
          .read(VerifiedBlobRead.RangeGate.OPEN);
      return new ChunkAudit.Result(Verdict.PASSED, 0, what + ": the whole shard verifies");
    } catch (CairnException e) {
      if (e.code() == dev.cairn.wire.ErrorCode.NOT_FOUND) {
        return new ChunkAudit.Result(Verdict.MISSING, 0, what + ": the holder says it does"
            + " not have the shard it claims (" + e.detail() + ")");
      }
      if (VerifiedBlobRead.isLie(e.code())) {
        return new ChunkAudit.Result(Verdict.FAILED, 0, what + ": served bytes that are not"
            + " the shard (" + e.detail() + ")");
      }
      return new ChunkAudit.Result(Verdict.NO_ANSWER, 0, what + ": no answer (" + e + ")");
    }
  }

  private void save() {
    synchronized (saveLock) {
      Map<PublicKey, ReputationFile.Saved> changed = nodes.takeChangedReputations();
      if (changed == null) {
        return;
      }
      try {
        file.save(changed);
      } catch (UncheckedIOException e) {
        LOG.warning("cannot save reputations (they stay in memory): " + e.getMessage());
      }
    }
  }

  /** Stops the workers (a round in progress ends early) and saves what was recorded. */
  @Override
  public void close() {
    workers.shutdownNow();
    save();
  }
}
