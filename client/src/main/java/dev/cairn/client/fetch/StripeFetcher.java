package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.erasure.ReedSolomon;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one erasure-coded batch: any k verified shards of its k + m, fetched in parallel
 * from their distinct donors through the {@link FetchScheduler} (ranked, hedged, verified
 * against the shard ids the signed manifest lists), then joined, or decoded when a data shard
 * is missing (docs/protocol.md 4.8).
 *
 * <p>It asks for k shards at once, and for {@link #EXTRA_SHARDS} shard more only when the
 * tail is truly stalled: the k shards are not all in by the scheduler's hedge factor (2) times
 * the time the first one took, a donor of a shard still coming has sent this reader nothing
 * for that long (at least {@value #STALL_FLOOR_MS} ms, and at least twice what a fetch of that
 * size usually takes at that donor; {@link FetchScheduler#anyStalled}), and the extra shard's
 * donor has no fetch of this reader waiting; else it looks again every
 * {@value #RECHECK_MS} ms. When every donor is busy serving this reader, as in a scan bound by
 * the donors' upload limits, the tail is slow because the reader keeps them all busy, and an
 * extra shard only takes bandwidth from the shards that are needed (issue 14's limited scan
 * sent 1.2 times the blob bytes when "slow" meant only "slower than the first shard", and
 * still 1.08 to 1.21 times when a donor's queue emptied for a moment); a donor that keeps
 * delivering is busy, not stalled, and a hung one delivers nothing.
 *
 * <p>Which k: the shards whose donors have the shortest queues in this reader's scheduler
 * ({@link FetchScheduler#queuedAt}), data shards first among equals, a parity shard taking a
 * data shard's turn only when the data shard's donor has more than {@value
 * #PARITY_QUEUE_PENALTY} fetch more waiting; between equal queues, the donor that has sent this
 * reader fewer bytes goes first (at 4 MiB/s per donor the busiest donor of a scan otherwise
 * sent 15% more than the least busy, and set the scan's pace). A scan keeps many stripes in
 * flight, and rendezvous placement gives some donors more data shards than others; always
 * asking for the data shards queued the scan behind its busiest donors while the others idled
 * (issue 14's limited scan benchmark, docs/benchmarks.md), where choosing by queue spreads the
 * load over all k + m. Decoding a missing data shard costs the reader some CPU, hence the penalty.
 *
 * <p>It takes the first k that arrive verified and cancels the rest (Storj's long-tail
 * cancellation): when the data shards win, nothing is decoded. Each shard is a one-blob stream
 * of its own, so a shard no holder serves intact (the scheduler already struck and reported a
 * holder that served bad bytes) fails only itself, and the next shard not yet asked for is
 * started in its place.
 * When fewer than k can still arrive, the read fails with LOST naming how many shards are
 * unavailable; no partial batch is ever returned.
 */
public final class StripeFetcher {
  /** Shards asked for beyond the k needed, so one slow donor does not set the pace. */
  public static final int EXTRA_SHARDS = 1;
  /** Fetches a parity shard's donor counts beyond its queue, so data shards win ties. */
  static final int PARITY_QUEUE_PENALTY = 1;
  /** Least time without a delivery from a donor before its fetch counts as stalled. */
  static final long STALL_FLOOR_MS = 500;
  /** How often a slow tail is looked at again while no fetch of it is stalled. */
  static final long RECHECK_MS = 50;

  private final FetchScheduler scheduler;
  private final AtomicLong slowTails = new AtomicLong();

  /** Creates a fetcher over {@code scheduler}, which stays the caller's. */
  public StripeFetcher(FetchScheduler scheduler) {
    this.scheduler = requireNonNull(scheduler, "scheduler");
  }

  /**
   * Returns the verified blob of {@code batch} under {@code policy}, its shards' holders
   * given by shard id; LOST if fewer than k shards are served intact.
   */
  public byte[] fetch(BatchRef batch, RedundancyPolicy policy,
      Map<ContentId, List<InetSocketAddress>> holders) {
    int k = policy.dataShards();
    int total = policy.shardCount();
    int shardBytes = Stripe.shardBytes(batch.byteSize(), k);
    List<ContentId> ids = batch.shardIds();
    byte[][] shards = new byte[total][];
    List<FetchStream> streams = new ArrayList<>();
    List<Integer> indexOf = new ArrayList<>();
    Set<Integer> finished = new HashSet<>();
    int[] order = order(ids, holders, k);
    int next = 0;
    int verified = 0;
    int unavailable = 0;
    int extra = 0;
    long start = System.nanoTime();
    long tailDeadline = 0; // set when the first shard is in; 0: none yet
    long tailWait = 0;
    try {
      while (verified < k) {
        while (next < total && streams.size() - finished.size() < k - verified + extra) {
          int index = order[next];
          List<InetSocketAddress> where = holders.getOrDefault(ids.get(index), List.of());
          if (where.isEmpty()) {
            unavailable++;
          } else {
            streams.add(scheduler.fetchAll(
                List.of(new FetchRequest(ids.get(index), shardBytes, where)), 1));
            indexOf.add(index);
          }
          next++;
        }
        if (verified + (streams.size() - finished.size()) < k) {
          throw lost(batch, total, unavailable + (total - next));
        }
        int settled = scheduler.awaitAnySettled(streams, finished,
            extra == 0 ? tailDeadline : 0);
        if (settled < 0) {
          long stall = Math.max(TimeUnit.MILLISECONDS.toNanos(STALL_FLOOR_MS), tailWait);
          if (next < total && (queuedAtFirstHolder(ids.get(order[next]), holders) > 0
              || !scheduler.anyStalled(streams, finished, stall))) {
            // Its donor is busy with this reader, or every donor of the tail is delivering.
            tailDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECHECK_MS);
            continue;
          }
          extra = EXTRA_SHARDS; // the tail is stalled: ask for a shard more
          slowTails.incrementAndGet();
          continue;
        }
        finished.add(settled);
        try {
          if (streams.get(settled).hasNext()) {
            shards[indexOf.get(settled)] = streams.get(settled).next().verifiedBytes();
            verified++;
            if (verified == 1) {
              long now = System.nanoTime();
              tailWait = Math.max(1, (long) (scheduler.hedgeFactor()
                  * Math.max(0, now - start)));
              tailDeadline = now + tailWait;
            }
          } else {
            unavailable++;
          }
        } catch (CairnException e) {
          unavailable++;
        }
      }
    } finally {
      streams.forEach(FetchStream::cancel);
    }
    return Stripe.decode(shards, ReedSolomon.of(k, policy.parityShards()), batch.byteSize());
  }

  /** Returns the fetches waiting on the first holder of {@code id}; 0 when it has none. */
  private int queuedAtFirstHolder(ContentId id,
      Map<ContentId, List<InetSocketAddress>> holders) {
    List<InetSocketAddress> where = holders.getOrDefault(id, List.of());
    return where.isEmpty() ? 0 : scheduler.queuedAt(List.of(where.get(0)))[0];
  }

  /**
   * Returns the shard indexes in the order to ask for them: by the queue at each shard's first
   * holder, a parity shard's counted {@value #PARITY_QUEUE_PENALTY} longer, then by the bytes
   * that holder has served this reader so far (so equal queues even out what each donor sends
   * over a scan), then by index; shards with no known holder last.
   */
  private int[] order(List<ContentId> ids, Map<ContentId, List<InetSocketAddress>> holders,
      int k) {
    List<InetSocketAddress> first = new ArrayList<>();
    List<Integer> held = new ArrayList<>();
    List<Integer> unheld = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      List<InetSocketAddress> where = holders.getOrDefault(ids.get(i), List.of());
      if (where.isEmpty()) {
        unheld.add(i);
      } else {
        held.add(i);
        first.add(where.get(0));
      }
    }
    int[] queued = scheduler.queuedAt(first);
    long[] served = scheduler.bytesServedBy(first);
    int[] cost = new int[ids.size()];
    long[] servedBefore = new long[ids.size()];
    for (int j = 0; j < held.size(); j++) {
      int index = held.get(j);
      cost[index] = queued[j] + (index >= k ? PARITY_QUEUE_PENALTY : 0);
      servedBefore[index] = served[j];
    }
    held.sort(Comparator.comparingInt((Integer index) -> cost[index])
        .thenComparingLong(index -> servedBefore[index])
        .thenComparingInt(index -> index));
    held.addAll(unheld);
    return held.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Returns how many reads so far asked for a shard beyond k because their tail stalled. */
  public long slowTails() {
    return slowTails.get();
  }

  /** Returns the LOST error of a batch whose {@code unavailable} shards leave fewer than k. */
  public static CairnException lost(BatchRef batch, int total, int unavailable) {
    return new CairnException(ErrorCode.LOST, unavailable + " of " + total + " shards of batch "
        + batch.id().toShortHex() + " unavailable");
  }
}
