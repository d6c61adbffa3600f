package dev.cairn.wire.durability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A seeded, simulated-time model of donor churn and repair, to compare redundancy schemes at
 * their own overheads (docs/benchmarks.md, "Durability model"). Run as a test-scope main; the
 * inputs are the {@link Config} fields, printed with the results.
 *
 * <p>The model: {@code donors} donor slots, each donor living an exponentially distributed
 * time (mean {@code meanLifetimeDays}) and replaced at death by an empty one. {@code batches}
 * batches of {@code batchBytes}, each stored as n pieces on n distinct donors (whole copies:
 * n = R, any 1 suffices; Reed-Solomon k+m: n = k + m, any k suffice). A batch whose live
 * pieces fall below its repair threshold is queued for repair after {@code detectionHours}
 * (dead-after plus a repair round); repairs share one FIFO pipe of {@code donors ×
 * repairBytesPerSecondPerDonor} bytes per second (the donors' repair bandwidth), and a repair
 * restores every missing piece on random donors not holding one. A batch with fewer than its
 * needed pieces alive is lost. Bytes moved per repair: a copy moves one batch per missing
 * copy; a stripe moves k shards to the rebuilding donor (one batch's bytes) and each further
 * rebuilt shard to its own donor.
 *
 * <p>Simplifications, stated so nobody over-reads the output: failures are independent (no
 * correlated zone outages), donors never return with their data, the repair pipe is shared
 * evenly by all repairs, and placement is uniform.
 */
public final class DurabilitySimulation {
  /** The inputs of one run. */
  public record Config(int donors, int batches, long batchBytes, double meanLifetimeDays,
      double detectionHours, double repairBytesPerSecondPerDonor, double years, long seed) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d donors, mean lifetime %.0f days, %d batches of %d "
          + "MiB, detection %.1f h, repair %.1f MiB/s per donor, %.0f simulated years, seed %d",
          donors, meanLifetimeDays, batches, batchBytes >> 20, detectionHours,
          repairBytesPerSecondPerDonor / (1 << 20), years, seed);
    }
  }

  /** A redundancy scheme: n pieces, any {@code needed} rebuild, repair below threshold. */
  public record Scheme(String name, int pieces, int needed, int repairBelow) {
    /** Returns R whole copies, repaired as soon as one is missing. */
    public static Scheme replicas(int r) {
      return new Scheme("R = " + r, r, 1, r);
    }

    /** Returns Reed-Solomon k+m repaired when fewer than k + margin pieces are alive. */
    public static Scheme erasure(int k, int m, int margin) {
      return new Scheme("RS " + k + "+" + m + " (repair below k+" + margin + ")", k + m, k,
          k + margin);
    }

    /** Returns stored bytes per batch byte: n for copies, (k+m)/k for shards. */
    public double overhead() {
      return needed == 1 ? pieces : (double) pieces / needed;
    }

    /** Returns the bytes of one piece of a batch of {@code batchBytes}. */
    long pieceBytes(long batchBytes) {
      return needed == 1 ? batchBytes : (batchBytes + needed - 1) / needed;
    }
  }

  /** What one run found. */
  public record Result(Scheme scheme, long batchesLost, int yearsWithLoss, int years,
      double repairBytesPerStoredByte, long repairs) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-28s overhead %.2f: %d batches lost, loss in %d of %d"
          + " years, repair moved %.2f bytes per stored byte per year (%d repairs)",
          scheme.name(), scheme.overhead(), batchesLost, yearsWithLoss, years,
          repairBytesPerStoredByte, repairs);
    }
  }

  private static final double SECONDS_PER_DAY = 86_400;
  private static final double SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY;

  private DurabilitySimulation() {}

  /** Runs the comparison the docs quote, with the default inputs or {@code args} as a seed. */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    Config config = new Config(1000, 100_000, 64L << 20, 90, 1, 1 << 20, 20, seed);
    System.out.println(config);
    for (Scheme scheme : List.of(Scheme.replicas(3), Scheme.erasure(4, 2, 2),
        Scheme.erasure(4, 2, 1), Scheme.erasure(6, 3, 3), Scheme.erasure(6, 3, 1),
        Scheme.erasure(10, 4, 4), Scheme.erasure(10, 4, 2))) {
      System.out.println(run(config, scheme));
    }
  }

  /** Runs one scheme under one config; the same inputs give the same result. */
  public static Result run(Config config, Scheme scheme) {
    return new Run(config, scheme).simulate();
  }

  /** The state of one run. */
  private static final class Run {
    private final Config config;
    private final Scheme scheme;
    private final Random random;
    /** Per batch, the donor slot of each piece, -1 where the piece is missing. */
    private final int[][] holders;
    private final int[] alive;
    private final boolean[] lost;
    private final boolean[] queued;
    /** Per donor slot, the batches it holds a piece of (may list a batch once per piece). */
    private final List<int[]> held = new ArrayList<>();
    private final int[] heldCount;
    private final PriorityQueue<double[]> events =
        new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
    private final long[] lossesByYear;
    private final double pipeBytesPerSecond;
    private double pipeFreeAt;
    private double repairBytes;
    private long repairs;

    Run(Config config, Scheme scheme) {
      this.config = config;
      this.scheme = scheme;
      this.random = new Random(config.seed());
      this.holders = new int[config.batches()][scheme.pieces()];
      this.alive = new int[config.batches()];
      this.lost = new boolean[config.batches()];
      this.queued = new boolean[config.batches()];
      this.heldCount = new int[config.donors()];
      this.lossesByYear = new long[(int) Math.ceil(config.years())];
      this.pipeBytesPerSecond = config.donors() * config.repairBytesPerSecondPerDonor();
      for (int d = 0; d < config.donors(); d++) {
        held.add(new int[16]);
      }
    }

    Result simulate() {
      for (int b = 0; b < holders.length; b++) {
        Arrays.fill(holders[b], -1);
        for (int p = 0; p < scheme.pieces(); p++) {
          place(b, p);
        }
        alive[b] = scheme.pieces();
      }
      for (int d = 0; d < config.donors(); d++) {
        events.add(new double[] {lifetime(), 0, d});
      }
      double end = config.years() * SECONDS_PER_YEAR;
      while (!events.isEmpty() && events.peek()[0] < end) {
        double[] event = events.poll();
        if (event[1] == 0) {
          die(event[0], (int) event[2]);
        } else {
          repair((int) event[2]);
        }
      }
      long totalLost = 0;
      int yearsWithLoss = 0;
      for (long losses : lossesByYear) {
        totalLost += losses;
        yearsWithLoss += losses > 0 ? 1 : 0;
      }
      double stored = (double) config.batches() * config.batchBytes() * scheme.overhead();
      return new Result(scheme, totalLost, yearsWithLoss, lossesByYear.length,
          repairBytes / stored / config.years(), repairs);
    }

    private double lifetime() {
      return -Math.log(1 - random.nextDouble()) * config.meanLifetimeDays() * SECONDS_PER_DAY;
    }

    /** Puts piece {@code piece} of batch {@code batch} on a random donor holding none of it. */
    private void place(int batch, int piece) {
      while (true) {
        int donor = random.nextInt(config.donors());
        boolean taken = false;
        for (int holder : holders[batch]) {
          taken |= holder == donor;
        }
        if (!taken) {
          holders[batch][piece] = donor;
          int[] list = held.get(donor);
          if (heldCount[donor] == list.length) {
            list = Arrays.copyOf(list, list.length * 2);
            held.set(donor, list);
          }
          list[heldCount[donor]++] = batch;
          return;
        }
      }
    }

    private void die(double now, int donor) {
      int[] list = held.get(donor);
      for (int i = 0; i < heldCount[donor]; i++) {
        int batch = list[i];
        for (int p = 0; p < scheme.pieces(); p++) {
          if (holders[batch][p] == donor) {
            holders[batch][p] = -1;
            alive[batch]--;
          }
        }
        afterLoss(now, batch);
      }
      heldCount[donor] = 0;
      held.set(donor, new int[16]);
      events.add(new double[] {now + lifetime(), 0, donor});
    }

    private void afterLoss(double now, int batch) {
      if (lost[batch]) {
        return;
      }
      if (alive[batch] < scheme.needed()) {
        lost[batch] = true;
        lossesByYear[Math.min(lossesByYear.length - 1, (int) (now / SECONDS_PER_YEAR))]++;
        return;
      }
      if (alive[batch] < scheme.repairBelow() && !queued[batch]) {
        queued[batch] = true;
        double start = Math.max(now + config.detectionHours() * 3600, pipeFreeAt);
        double done = start + bytesToRepair(scheme.pieces() - alive[batch]) / pipeBytesPerSecond;
        pipeFreeAt = done;
        events.add(new double[] {done, 1, batch});
      }
    }

    private double bytesToRepair(int missing) {
      long piece = scheme.pieceBytes(config.batchBytes());
      return scheme.needed() == 1 ? (double) missing * piece
          : (double) config.batchBytes() + (double) (missing - 1) * piece;
    }

    private void repair(int batch) {
      queued[batch] = false;
      if (lost[batch]) {
        return;
      }
      int missing = scheme.pieces() - alive[batch];
      repairBytes += bytesToRepair(missing);
      repairs++;
      for (int p = 0; p < scheme.pieces(); p++) {
        if (holders[batch][p] == -1) {
          place(batch, p);
        }
      }
      alive[batch] = scheme.pieces();
    }
  }
}
