package dev.cairn.tpch.soak;

import dev.cairn.tpch.soak.FaultPlan.Fault;
import dev.cairn.tpch.soak.FaultPlan.Kind;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Carries out a {@link FaultPlan} on a {@link SoakCluster}: at each fault's time it signals
 * the target processes, and after its hold brings them back (restart and wait until listening,
 * or SIGCONT), recording both moments in {@link Availability} and in a timestamped log.
 *
 * <p>Each fault runs on its own thread. An ordinary fault takes one of R-1 donor slots or
 * metas-1 service slots first (and a target not already down), waiting if the others are
 * still recovering, so only a planned outage, which adds its targets to those already down,
 * can leave no holder or no service reachable.
 */
final class FaultScript implements AutoCloseable {
  /**
   * How long a restarted process may take to listen before it counts as not recovered: long,
   * because a JVM starting on a machine whose cores are all busy can take minutes, and a
   * slow start is not what the soak looks for (it is logged, with its time).
   */
  private static final Duration RESTART_WAIT = Duration.ofMinutes(10);
  /** How long a fault may wait for a slot before it is skipped (and logged as skipped). */
  private static final long SLOT_WAIT_MS = 60_000;

  /** What happened to one planned fault: when it began and ended, or why it did not. */
  record Executed(Fault fault, long startedMs, long recoveredMs, String problem) {}

  private final SoakCluster cluster;
  private final long endMs;
  private final Availability availability;
  private final List<Fault> plan;
  private final PrintStream log;
  private final int donorSlots;
  private final int metaSlots;
  private final Semaphore donorsDown;
  private final Semaphore metasDown;
  private final Set<String> busy = Collections.synchronizedSet(new HashSet<>());
  private final Map<Integer, Executed> executed =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Thread runner;

  /**
   * Prepares {@code plan} for {@code cluster}; a fault delayed (waiting for a slot) so far
   * that it would not end by {@code endMs} is skipped, so the run ends with the cluster whole.
   */
  FaultScript(SoakCluster cluster, Availability availability, int replicas, List<Fault> plan,
      long endMs, PrintStream log) {
    this.cluster = cluster;
    this.endMs = endMs;
    this.availability = availability;
    this.plan = List.copyOf(plan);
    this.log = log;
    this.donorSlots = replicas - 1;
    this.metaSlots = cluster.metas().size() - 1;
    this.donorsDown = new Semaphore(donorSlots, true);
    this.metasDown = new Semaphore(Math.max(metaSlots, 0), true);
    this.runner = new Thread(this::runPlan, "fault-script");
  }

  void start() {
    for (Fault fault : plan) {
      say("planned fault %d at %.1f s: %s%s %s for %.1f s", fault.number(),
          fault.atMs() / 1000.0, fault.outage() ? "OUTAGE " : "", fault.kind().label(),
          fault.targets(), fault.holdMs() / 1000.0);
    }
    runner.start();
  }

  /** Waits, bounded, until every fault has been carried out and recovered from. */
  void awaitDone(long limitMs) throws InterruptedException {
    runner.join(limitMs);
    threads.shutdown();
    if (runner.isAlive() || !threads.awaitTermination(limitMs, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the fault script did not finish within " + limitMs
          + " ms");
    }
  }

  /** Returns what happened to each fault carried out or skipped, in plan order. */
  List<Executed> executed() {
    synchronized (executed) {
      List<Executed> all = new ArrayList<>(executed.values());
      all.sort(java.util.Comparator.comparingInt(e -> e.fault().number()));
      return all;
    }
  }

  private void runPlan() {
    try {
      for (Fault fault : plan) {
        long wait = fault.atMs() - availability.nowMs();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        threads.execute(() -> run(fault));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Carries out one fault on its own thread: slot, signal, hold, recovery. */
  private void run(Fault fault) {
    try {
      boolean meta = fault.onMetas();
      Semaphore slots = meta ? metasDown : donorsDown;
      // A planned outage takes no slot: it adds its targets to whatever is down already.
      int wanted = fault.outage() ? 0 : 1;
      if (wanted > (meta ? metaSlots : donorSlots)) {
        skip(fault, "no slot: the cluster has too few of these to fault one safely");
        return;
      }
      if (!slots.tryAcquire(wanted, SLOT_WAIT_MS, TimeUnit.MILLISECONDS)) {
        skip(fault, "no slot within " + SLOT_WAIT_MS + " ms");
        return;
      }
      List<ChildProcess> targets = availability.nowMs() + fault.holdMs() > endMs
          ? List.of() : targets(fault, meta);
      if (targets.isEmpty()) {
        slots.release(wanted);
        skip(fault, "delayed past the end of the run, or every target busy");
        return;
      }
      long started = availability.nowMs();
      try {
        for (ChildProcess target : targets) {
          availability.down(target.name(), meta);
          switch (fault.kind()) {
            case KILL -> target.kill();
            case FREEZE -> target.freeze();
            case RESTART -> target.terminate();
            default -> throw new IllegalStateException(fault.kind().toString());
          }
        }
      } catch (Exception e) {
        say("fault %d: %s failed: %s", fault.number(), fault.kind().label(), e);
      }
      Fault actual = new Fault(fault.number(), fault.kind(),
          targets.stream().map(ChildProcess::name).toList(), fault.atMs(), fault.holdMs(),
          fault.outage());
      say("fault %d%s: %s %s, for %.1f s", fault.number(), fault.outage() ? " (OUTAGE)" : "",
          fault.kind().label(), actual.targets(), fault.holdMs() / 1000.0);
      recover(actual, targets, started, slots, wanted);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Picks the planned targets, or for a busy one the next free process of its kind. */
  private List<ChildProcess> targets(Fault fault, boolean meta) {
    List<ChildProcess> pool = meta ? cluster.metas() : cluster.donors();
    List<ChildProcess> chosen = new ArrayList<>();
    for (String name : fault.targets()) {
      int index = Integer.parseInt(name.substring(name.indexOf('-') + 1));
      for (int i = 0; i < pool.size(); i++) {
        ChildProcess candidate = pool.get((index + i) % pool.size());
        if (busy.add(candidate.name())) {
          chosen.add(candidate);
          break;
        }
      }
    }
    return chosen;
  }

  private void recover(Fault fault, List<ChildProcess> targets, long started, Semaphore slots,
      int taken) {
    String problem = null;
    try {
      Thread.sleep(fault.holdMs());
      for (ChildProcess target : targets) {
        if (fault.kind() == Kind.FREEZE) {
          target.thaw();
        } else {
          target.start();
        }
      }
      long restarted = availability.nowMs();
      for (ChildProcess target : targets) {
        if (fault.kind() != Kind.FREEZE) {
          target.awaitListening(RESTART_WAIT);
        }
        availability.up(target.name());
        busy.remove(target.name());
      }
      if (fault.kind() != Kind.FREEZE) {
        say("fault %d: %s listening %.1f s after the restart", fault.number(), fault.targets(),
            (availability.nowMs() - restarted) / 1000.0);
      }
    } catch (Exception e) {
      problem = "did not recover: " + e;
      say("fault %d: %s %s", fault.number(), fault.targets(), problem);
    } finally {
      if (problem == null) {
        slots.release(taken);
      }
    }
    long recovered = problem == null ? availability.nowMs() : -1;
    executed.put(fault.number(), new Executed(fault, started, recovered, problem));
    if (problem == null) {
      say("fault %d: %s back after %.1f s", fault.number(), fault.targets(),
          (recovered - started) / 1000.0);
    }
  }

  private void skip(Fault fault, String why) {
    executed.put(fault.number(), new Executed(fault, -1, -1, "skipped: " + why));
    say("fault %d skipped: %s", fault.number(), why);
  }

  private void say(String format, Object... args) {
    log.printf(Locale.ROOT, "[%8.3f s] %s%n", availability.nowMs() / 1000.0,
        String.format(Locale.ROOT, format, args));
  }

  @Override
  public void close() {
    runner.interrupt();
    threads.shutdownNow();
  }
}
