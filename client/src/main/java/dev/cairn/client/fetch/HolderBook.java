package dev.cairn.client.fetch;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the scheduler knows of each holder address: round trip and throughput estimates
 * (EWMA), attempts in flight, strikes, and counters; and the choice of holder for an attempt.
 *
 * <p>A holder's expected time for a blob is {@code rtt + bytes / throughput}. An unknown RTT
 * or throughput counts as the best known one (an unmeasured holder is worth trying). Holders
 * with a live strike rank after every holder without one: a lie (bad bytes or size) is a
 * strike for the scheduler's lifetime, an error or timeout one for {@link
 * #ERROR_STRIKE_MEMORY_NANOS}. A first attempt goes to the least loaded "near" holder (expected
 * time within {@link #NEAR_FACTOR} of the best, plus {@link #NEAR_SLACK_NANOS} so that loopback
 * microseconds do not split equals) that is below the per-holder cap; failovers and hedges take
 * the best-ranked holder below the cap. Not thread safe: the scheduler's lock guards it.
 *
 * <p>Holders the connection pool is backing off from (they timed out or answered BUSY, see
 * {@link dev.cairn.wire.rpc.PeerBackoff}) rank after struck ones, and are chosen only when
 * every candidate left is backing off: while an answering holder exists, an attempt waits for
 * room there instead. Backoff orders holders, it never drops the last one.
 */
final class HolderBook {
  static final double EWMA_WEIGHT = 0.25;
  static final double NEAR_FACTOR = 3.0;
  static final int THROUGHPUT_SAMPLES_MIN = 4;
  static final long NEAR_SLACK_NANOS = 10_000_000L;
  static final long ERROR_STRIKE_MEMORY_NANOS = 60_000_000_000L;
  private static final double NANOS_PER_SECOND = 1e9;

  /** One holder's state. */
  static final class Holder {
    final InetSocketAddress address;
    double rttNanos = -1;
    double bytesPerSecond = -1;
    boolean throughputSampled;
    int transfers;
    int inFlight;
    long bytesServed;
    long fetchesWon;
    long hedgesSent;
    long failures;
    long lies;
    long unreachable;
    long lastErrorStrikeNanos;
    boolean errorStruck;
    /** When it last finished sending this scheduler a blob (System.nanoTime); none yet: MIN. */
    long lastDeliveryNanos = Long.MIN_VALUE;

    Holder(InetSocketAddress address) {
      this.address = address;
    }

    boolean struck(long nowNanos) {
      return lies > 0
          || errorStruck && nowNanos - lastErrorStrikeNanos < ERROR_STRIKE_MEMORY_NANOS;
    }

    HolderStats snapshot() {
      return new HolderStats(address, bytesServed, fetchesWon, hedgesSent, failures, lies,
          unreachable, rttNanos < 0 ? -1 : rttNanos / 1e6, bytesPerSecond, inFlight);
    }
  }

  private final Map<InetSocketAddress, Holder> holders = new HashMap<>();

  /** Returns the holder, or null if never seen. */
  Holder find(InetSocketAddress address) {
    return holders.get(address);
  }

  /** Returns the holder, created if new; {@code created[0]} tells which. */
  Holder holder(InetSocketAddress address, boolean[] created) {
    Holder holder = holders.get(address);
    if (holder == null) {
      holder = new Holder(address);
      holders.put(address, holder);
      created[0] = true;
    }
    return holder;
  }

  Collection<Holder> all() {
    return holders.values();
  }

  void observeRtt(Holder holder, long nanos) {
    holder.rttNanos = ewma(holder.rttNanos, nanos);
  }

  void observeTransfer(Holder holder, long bytes, long nanos) {
    double rate = bytes * NANOS_PER_SECOND / Math.max(nanos, 1);
    holder.bytesPerSecond = ewma(holder.bytesPerSecond, rate);
    holder.throughputSampled = true;
    holder.transfers++;
  }

  /**
   * Forgets the throughput of a holder that got no fetch since the last refresh, so a holder
   * once judged slow is tried again instead of being shunned forever on stale evidence.
   */
  void refreshed(Holder holder) {
    if (!holder.throughputSampled) {
      holder.bytesPerSecond = -1;
      holder.transfers = 0;
    }
    holder.throughputSampled = false;
  }

  void strike(Holder holder, boolean lie, long nowNanos) {
    holder.failures++;
    if (lie) {
      holder.lies++;
    } else {
      holder.errorStruck = true;
      holder.lastErrorStrikeNanos = nowNanos;
    }
  }

  /**
   * Chooses among {@code candidates} (holders of one blob not yet tried for it) the holder
   * for an attempt, or null if every suitable one is at {@code cap}; {@code backedOff} tells
   * which addresses are backing off.
   */
  Holder choose(List<Holder> candidates, long bytes, boolean nearOnly, int cap, long now,
      Predicate<InetSocketAddress> backedOff) {
    if (candidates.isEmpty()) {
      return null;
    }
    double bestRtt = best(candidates, true);
    double bestRate = best(candidates, false);
    Map<Holder, Integer> tiers = new HashMap<>();
    for (Holder holder : candidates) {
      tiers.put(holder, tier(holder, now, backedOff));
    }
    List<Holder> ranked = new ArrayList<>(candidates);
    ranked.sort((a, b) -> {
      int tier = Integer.compare(tiers.get(a), tiers.get(b));
      return tier != 0 ? tier : Double.compare(expected(a, bytes, bestRtt, bestRate),
          expected(b, bytes, bestRtt, bestRate));
    });
    int firstTier = tiers.get(ranked.get(0));
    if (!nearOnly) {
      for (Holder holder : ranked) {
        if (tiers.get(holder) == TIER_BACKED_OFF && firstTier != TIER_BACKED_OFF) {
          return null; // wait for room at a holder that answers
        }
        if (holder.inFlight < cap) {
          return holder;
        }
      }
      return null;
    }
    Holder first = ranked.get(0);
    double nearLimit = expected(first, bytes, bestRtt, bestRate) * NEAR_FACTOR
        + NEAR_SLACK_NANOS;
    Holder chosen = null;
    for (Holder holder : ranked) {
      if (tiers.get(holder) != firstTier
          || expected(holder, bytes, bestRtt, bestRate) > nearLimit) {
        break;
      }
      if (holder.inFlight < cap && (chosen == null || lessLoaded(holder, chosen))) {
        chosen = holder;
      }
    }
    return chosen;
  }

  private static final int TIER_CLEAN = 0;
  private static final int TIER_STRUCK = 1;
  private static final int TIER_BACKED_OFF = 2;

  private static int tier(Holder holder, long now, Predicate<InetSocketAddress> backedOff) {
    if (backedOff.test(holder.address)) {
      return TIER_BACKED_OFF;
    }
    return holder.struck(now) ? TIER_STRUCK : TIER_CLEAN;
  }

  /**
   * Fewer fetches in flight wins; on a tie, fewer bytes served so far. Without the tie-break,
   * blobs small enough to finish before the next one starts would all go to the best-ranked
   * holder, and a scan would not spread over the near ones.
   */
  private static boolean lessLoaded(Holder candidate, Holder chosen) {
    if (candidate.inFlight != chosen.inFlight) {
      return candidate.inFlight < chosen.inFlight;
    }
    return candidate.bytesServed < chosen.bytesServed;
  }

  private static double expected(Holder holder, long bytes, double bestRtt, double bestRate) {
    double rtt = holder.rttNanos >= 0 ? holder.rttNanos : Math.max(bestRtt, 0);
    double rate = rated(holder) ? holder.bytesPerSecond : bestRate;
    return rtt + (rate > 0 ? bytes * NANOS_PER_SECOND / rate : 0);
  }

  /** Returns the lowest known RTT or the highest known throughput; -1 if none is known. */
  private static double best(List<Holder> holders, boolean rtt) {
    double best = -1;
    for (Holder holder : holders) {
      double value = rtt ? holder.rttNanos : rated(holder) ? holder.bytesPerSecond : -1;
      if (value >= 0 && (best < 0 || (rtt ? value < best : value > best))) {
        best = value;
      }
    }
    return best;
  }

  /**
   * True once a holder's throughput rests on {@link #THROUGHPUT_SAMPLES_MIN} transfers: one
   * cold first fetch (connection set-up, JIT) must not brand an equal donor slow, or a scan
   * stops sending it anything and never learns better.
   */
  private static boolean rated(Holder holder) {
    return holder.bytesPerSecond > 0 && holder.transfers >= THROUGHPUT_SAMPLES_MIN;
  }

  private static double ewma(double previous, double sample) {
    return previous < 0 ? sample : previous + EWMA_WEIGHT * (sample - previous);
  }
}
