package dev.cairn.tpch.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * When each process was unreachable during the soak (killed, stopped by SIGTERM or frozen by
 * SIGSTOP, until it listens or runs again), on one clock that starts with the run. It says
 * whether an error's time span touched an outage: every metadata service unreachable, or at
 * least R donors unreachable at once (only then can every holder of a batch be gone); for a
 * write, fewer than R donors reachable (it needs R copies on distinct donors).
 */
final class Availability {
  private record Interval(String process, boolean meta, long fromMs, long toMs) {}

  private final int metaCount;
  private final int donorCount;
  private final int replicas;
  private final long originNanos = System.nanoTime();
  private final List<Interval> intervals = new ArrayList<>();

  Availability(int metaCount, int donorCount, int replicas) {
    this.metaCount = metaCount;
    this.donorCount = donorCount;
    this.replicas = replicas;
  }

  /** Milliseconds since the run began. */
  long nowMs() {
    return (System.nanoTime() - originNanos) / 1_000_000;
  }

  /** Records that {@code process} is unreachable from now on; returns the time. */
  synchronized long down(String process, boolean meta) {
    long now = nowMs();
    intervals.add(new Interval(process, meta, now, Long.MAX_VALUE));
    return now;
  }

  /** Records that {@code process} is reachable again; returns the time. */
  synchronized long up(String process) {
    long now = nowMs();
    for (int i = intervals.size() - 1; i >= 0; i--) {
      Interval open = intervals.get(i);
      if (open.process().equals(process) && open.toMs() == Long.MAX_VALUE) {
        intervals.set(i, new Interval(process, open.meta(), open.fromMs(), now));
        return now;
      }
    }
    throw new IllegalStateException(process + " was not down");
  }

  /**
   * Returns whether at some moment in {@code [fromMs, toMs]} every metadata service or at
   * least R donors were unreachable; for a {@code write}, more than donors - R.
   */
  synchronized boolean outageWithin(long fromMs, long toMs, boolean write) {
    int donorsDownMax = write ? donorCount - replicas : replicas - 1;
    List<Long> moments = new ArrayList<>(List.of(fromMs));
    for (Interval interval : intervals) {
      if (interval.fromMs() > fromMs && interval.fromMs() <= toMs) {
        moments.add(interval.fromMs());
      }
    }
    for (long moment : moments) {
      int metasDown = 0;
      int donorsDown = 0;
      for (Interval interval : intervals) {
        if (interval.fromMs() <= moment && moment < interval.toMs()) {
          if (interval.meta()) {
            metasDown++;
          } else {
            donorsDown++;
          }
        }
      }
      if (metasDown >= metaCount || donorsDown > donorsDownMax) {
        return true;
      }
    }
    return false;
  }
}
