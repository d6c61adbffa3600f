package dev.cairn.tpch.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The seeded fault schedule of one soak: when which process is killed with -9, frozen with
 * SIGSTOP, or stopped cleanly, and for how long, planned before the run so that a seed names
 * one schedule. Ordinary faults leave at least one metadata service and at least one holder
 * of every batch reachable (the script enforces it at run time); {@code outages} deliberate
 * windows take down R donors (odd ones) or every metadata service (even ones). Every fault
 * ends before the last part of the run, so the end finds the cluster whole.
 */
final class FaultPlan {
  /** What is done to the target. */
  enum Kind {
    KILL("kill -9, restart"),
    FREEZE("SIGSTOP, SIGCONT"),
    RESTART("SIGTERM, restart");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /**
   * One planned fault: {@code kind} done to {@code targets} (process names) {@code atMs}
   * after the run began, held for {@code holdMs}; {@code outage} when it is a deliberate
   * window with no holder or no service reachable.
   */
  record Fault(int number, Kind kind, List<String> targets, long atMs, long holdMs,
      boolean outage) {
    Fault {
      targets = List.copyOf(targets);
    }

    boolean onMetas() {
      return targets.get(0).startsWith("meta");
    }
  }

  private FaultPlan() {}

  /**
   * Plans the faults of a run of {@code run}: ordinary ones about every {@code faultEvery}
   * (exponential gaps), a quarter of them on metadata services when there are several, and
   * {@code outages} windows spread evenly.
   */
  static List<Fault> plan(long seed, Duration run, int metas, int donors, int replicas,
      Duration faultEvery, int outages) {
    Random random = new Random(seed);
    long runMs = run.toMillis();
    long first = Math.min(10_000, runMs / 8);
    long last = runMs - Math.max(10_000, runMs / 6);
    long holdMax = Math.max(2_000, Math.min(15_000, runMs / 8));
    List<Fault> faults = new ArrayList<>();
    for (int k = 1; k <= outages; k++) {
      long at = first + (last - first) * k / (outages + 1);
      long hold = Math.min(8_000, holdMax);
      if (k % 2 == 1) {
        List<String> names = new ArrayList<>();
        for (int i : random.ints(0, donors).distinct().limit(replicas).toArray()) {
          names.add("donor-" + i);
        }
        faults.add(new Fault(0, Kind.KILL, names, at, hold, true));
      } else {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < metas; i++) {
          names.add("meta-" + i);
        }
        faults.add(new Fault(0, Kind.FREEZE, names, at, hold, true));
      }
    }
    long at = first;
    while (true) {
      at += (long) (-Math.log(1 - random.nextDouble()) * faultEvery.toMillis());
      if (at >= last) {
        break;
      }
      long hold = Math.min(1_000 + (long) (random.nextDouble() * (holdMax - 1_000)), last - at);
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      boolean meta = metas > 1 && random.nextInt(4) == 0;
      String target = meta ? "meta-" + random.nextInt(metas) : "donor-" + random.nextInt(donors);
      if (hold >= 500) {
        faults.add(new Fault(0, kind, List.of(target), at, hold, false));
      }
    }
    faults.sort(Comparator.comparingLong(Fault::atMs));
    List<Fault> numbered = new ArrayList<>();
    for (Fault f : faults) {
      numbered.add(new Fault(numbered.size() + 1, f.kind(), f.targets(), f.atMs(), f.holdMs(),
          f.outage()));
    }
    return numbered;
  }
}
