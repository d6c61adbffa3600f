package dev.cairn.cli.bench;

import static dev.cairn.cli.bench.BenchCluster.deleteTree;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Units;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Time to restore full redundancy after losing 1 of 8 donors that each hold about {@code
 * --per-donor} bytes (1GiB), for 3 copies beside Reed-Solomon 4 + 2 in the same run (issue
 * 14). Each run and layout gets a fresh 8-donor cluster, seeded by {@link
 * BenchCluster#placeAndPublish} or {@link BenchCluster#placeStripesAndPublish} with random 8
 * MiB blobs so that the 8 donors hold 8 × per-donor bytes in all; then donor 0 is stopped and
 * the clock runs until every copy (3 per blob) or every shard (each of the k + m) is held again
 * by running donors, checked in their stores, as the heal tests do. It includes the {@value
 * #DEAD_AFTER_MS} ms until the service declares the donor dead and up to one repair round
 * ({@value #REPAIR_INTERVAL_MS} ms). Printed per run: the time, the bytes the stopped donor
 * held, the bytes the running donors sent (moved: repair reads, plus any audit reads in that
 * time) and stored (restored), and, to tell why stored may exceed held, how often the service
 * listed a running donor as not live, the pieces held more often than needed at the end and
 * the drops meanwhile; the clock starts only once the seeded cluster is quiet. Arguments:
 * {@code --per-donor SIZE} (1GiB), {@code --runs N} (1), {@code --repair-limit RATE[,RATE]}
 * (0/s, unlimited; one set of runs per rate). Run on demand, never in CI.
 */
public final class ErasureRestoreBenchmark {
  private static final int BLOB_BYTES = 8 << 20;
  private static final int DONORS = 8;
  private static final long DEAD_AFTER_MS = 1500;
  private static final long REPAIR_INTERVAL_MS = 500;
  private static final Duration RESTORE_LIMIT = Duration.ofMinutes(20);
  private static final long QUIET_MS = 3000;

  private ErasureRestoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    long perDonor = Units.parseSize("1GiB");
    int runs = 1;
    List<Long> repairLimits = List.of(0L);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--per-donor" -> perDonor = Units.parseSize(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--repair-limit" -> repairLimits = java.util.Arrays.stream(args[i + 1].split(","))
            .map(rate -> rate.trim().equals("0") ? 0L : Units.parseRate(rate.trim())).toList();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<String> rows = new ArrayList<>();
    rows.add("| repair limit per donor | layout | runs: restore s (held, moved, restored MB) |");
    rows.add("|---|---|---|");
    for (long limit : repairLimits) {
      List<String> copies = new ArrayList<>();
      List<String> stripes = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        copies.add(oneRun(perDonor, limit, false, run));
        stripes.add(oneRun(perDonor, limit, true, run));
      }
      String rate = limit == 0 ? "unlimited" : Units.formatSize(limit) + "/s";
      rows.add("| " + rate + " | R = 3 | " + String.join("; ", copies) + " |");
      rows.add("| " + rate + " | RS 4+2 | " + String.join("; ", stripes) + " |");
    }
    rows.forEach(System.out::println);
  }

  /** One restore on a fresh cluster; returns "seconds (held, moved, restored MB)". */
  private static String oneRun(long perDonor, long repairLimit, boolean erasure, int run)
      throws Exception {
    Path dir = Files.createTempDirectory("cairn-erasure-restore");
    LocalCluster.Options options = LocalCluster.Options.of(DONORS)
        .withDeadAfter(Duration.ofMillis(DEAD_AFTER_MS))
        .withHeal(HealConfig.defaults().withRepair(Duration.ofMillis(REPAIR_INTERVAL_MS),
            repairLimit));
    String name = erasure ? "RS 4+2" : "R = 3";
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options);
        ConnectionPool pool = new ConnectionPool(Duration.ofSeconds(60))) {
      // Stored bytes per blob byte: 3 for copies, (k + m) / k = 1.5 for 4 + 2.
      double overhead = erasure ? 1.5 : 3;
      int blobs = (int) Math.round(perDonor * DONORS / overhead / BLOB_BYTES);
      long seedStart = System.nanoTime();
      List<ContentId> pieces = erasure
          ? BenchCluster.placeStripesAndPublish(cluster, pool, blobs, BLOB_BYTES, 4, 2, run,
              "rs" + run)
          : BenchCluster.placeAndPublish(cluster, pool, blobs, BLOB_BYTES, run, "copies" + run);
      int per = erasure ? 1 : 3;
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()),
          Duration.ofSeconds(60));
      Await.until(RESTORE_LIMIT, "the service knows every holder", () -> meta
          .placement(per, pieces).stream().allMatch((BlobPlacement p) -> p.holders().size()
              >= per));
      System.out.printf(Locale.ROOT, "%s: seeded %d blobs of %d MiB in %.1f s%n", name, blobs,
          BLOB_BYTES >> 20, (System.nanoTime() - seedStart) / 1e9);
      List<StorageServer> servers = cluster.servers();
      settle(servers);
      long held = 0;
      for (ContentId piece : pieces) {
        if (servers.get(0).store().contains(piece)) {
          held += Files.size(servers.get(0).store().file(piece));
        }
      }
      long sentBefore = 0;
      long storedBefore = 0;
      long droppedBefore = 0;
      for (StorageServer server : servers.subList(1, DONORS)) {
        sentBefore += server.servedBytes();
        storedBefore += server.healCounters().pulledBytes();
        droppedBefore += server.healCounters().droppedBlobs();
      }
      LivenessWatch watch = new LivenessWatch(meta, servers.subList(1, DONORS));
      long start = System.nanoTime();
      cluster.stopServer(0);
      try {
        Await.until(RESTORE_LIMIT, "full redundancy after a lost donor",
            () -> complete(servers, pieces, per));
      } finally {
        watch.stop();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long sent = -sentBefore;
      long stored = -storedBefore;
      long dropped = -droppedBefore;
      for (StorageServer server : servers.subList(1, DONORS)) {
        sent += server.servedBytes();
        stored += server.healCounters().pulledBytes();
        dropped += server.healCounters().droppedBlobs();
      }
      System.out.printf(Locale.ROOT, "%s, repair limit %s: the stopped donor held %.1f MB; "
          + "full redundancy in %.1f s; donors sent %.1f MB, stored %.1f MB%n", name,
          repairLimit == 0 ? "none" : Units.formatSize(repairLimit) + "/s", held / 1e6,
          seconds, sent / 1e6, stored / 1e6);
      // Why repair might store more than was lost: a running donor the service saw as dead
      // for a moment (its pieces then look lost), or pieces held twice and released later.
      System.out.printf(Locale.ROOT, "%s: running donors seen not live %d times in %d node "
          + "listings; pieces held by more than %d running donors at the end: %d; dropped "
          + "meanwhile: %d%n", name, watch.notLive(), watch.listings(), per,
          surplus(servers, pieces, per), dropped);
      System.out.println(name + ": standings at the end: " + meta.nodes().stream()
          .map(node -> node.standing() + (node.live() ? "" : " (not live)")).toList());
      return String.format(Locale.ROOT, "%.1f s (%.0f, %.0f, %.0f MB)", seconds, held / 1e6,
          sent / 1e6, stored / 1e6);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Waits until no donor has stored a repaired byte for {@value #QUIET_MS} ms (at most
   * {@link #RESTORE_LIMIT}), so the clock starts on a cluster done with its own moves (donors
   * leaving vetting change placement); prints how long that took. Not sent bytes: audits read
   * some every second or so.
   */
  private static void settle(List<StorageServer> servers) throws InterruptedException {
    long start = System.nanoTime();
    long last = -1;
    long quietSince = start;
    while (System.nanoTime() - start < RESTORE_LIMIT.toNanos()) {
      long now = 0;
      for (StorageServer server : servers) {
        now += server.healCounters().pulledBytes();
      }
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > QUIET_MS * 1_000_000) {
        break;
      }
      Thread.sleep(100);
    }
    System.out.printf(Locale.ROOT, "settled in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  /** Returns how many pieces more than {@code per} running donors hold. */
  private static int surplus(List<StorageServer> servers, List<ContentId> pieces, int per) {
    int surplus = 0;
    for (ContentId piece : pieces) {
      int holders = 0;
      for (StorageServer server : servers.subList(1, servers.size())) {
        holders += server.store().contains(piece) ? 1 : 0;
      }
      surplus += holders > per ? 1 : 0;
    }
    return surplus;
  }

  /**
   * Lists the nodes every {@value #WATCH_MS} ms on a thread of its own and counts how often a
   * running donor was listed as not live: with dead-after 1.5 s a loaded machine can make a
   * donor look dead for a moment, and its pieces then look lost to repair.
   */
  private static final class LivenessWatch {
    private static final long WATCH_MS = 200;
    private final AtomicInteger notLive =
        new AtomicInteger();
    private final AtomicInteger listings =
        new AtomicInteger();
    private volatile boolean running = true;
    private final Thread thread;

    LivenessWatch(MetaClient meta, List<StorageServer> running) {
      Set<ByteBuffer> keys = new HashSet<>();
      running.forEach(server -> keys.add(ByteBuffer.wrap(server.nodeKey().toBytes())));
      thread = new Thread(() -> {
        while (this.running) {
          try {
            for (var node : meta.nodes()) {
              if (keys.contains(ByteBuffer.wrap(node.nodeKey())) && !node.live()) {
                notLive.incrementAndGet();
              }
            }
            listings.incrementAndGet();
            Thread.sleep(WATCH_MS);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // a slow listing is skipped; the next one counts
          }
        }
      }, "liveness-watch");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join(10_000);
    }

    int notLive() {
      return notLive.get();
    }

    int listings() {
      return listings.get();
    }
  }

  /** True if every piece has {@code per} holders among the running donors (all but 0). */
  private static boolean complete(List<StorageServer> servers, List<ContentId> pieces,
      int per) {
    for (ContentId piece : pieces) {
      int holders = 0;
      for (StorageServer server : servers.subList(1, servers.size())) {
        holders += server.store().contains(piece) ? 1 : 0;
      }
      if (holders < per) {
        return false;
      }
    }
    return true;
  }
}
