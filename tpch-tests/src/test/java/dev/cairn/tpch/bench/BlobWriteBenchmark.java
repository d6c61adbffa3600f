package dev.cairn.tpch.bench;

import dev.cairn.wire.AtomicFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What a donor's durable blob write costs this thread in CPU (user and system) and wall time:
 * {@code AtomicFiles.Sync.DURABLE} (through the page cache) beside {@code DURABLE_UNCACHED}
 * (O_DIRECT where the file system takes it), alternating, each round 100 new blobs of 4 MiB
 * given as 64 direct buffers of 64 KiB as a donor's socket reads them (about 5 GB written in
 * all with the default rounds). Run on demand (docs/benchmarks.md),
 * never in CI. Arguments: a directory on the disk to measure (a folder of the run's own is made
 * in it and deleted; default the system's temporary directory), rounds (default 5).
 */
public final class BlobWriteBenchmark {
  private static final int BLOBS = 100;
  private static final int PIECES = 64;
  private static final int PIECE_BYTES = 64 * 1024;

  private BlobWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    // A folder of its own, deleted at the end, inside the one given.
    Path dir = args.length > 0
        ? Files.createTempDirectory(Files.createDirectories(Path.of(args[0])), "cairn-blob-write")
        : Files.createTempDirectory("cairn-blob-write");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ByteBuffer[] blob = new ByteBuffer[PIECES];
    Random random = new Random(1);
    for (int i = 0; i < PIECES; i++) {
      byte[] bytes = new byte[PIECE_BYTES];
      random.nextBytes(bytes);
      blob[i] = ByteBuffer.allocateDirect(PIECE_BYTES).put(bytes).flip();
    }
    AtomicFiles.Sync[] modes = {AtomicFiles.Sync.DURABLE, AtomicFiles.Sync.DURABLE_UNCACHED};
    List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<Double>> wall = List.of(new ArrayList<>(), new ArrayList<>());
    try {
      for (int round = 0; round <= rounds; round++) { // round 0 warms up and is not counted
        for (int m = 0; m < modes.length; m++) {
          long cpu0 = threads.getCurrentThreadCpuTime();
          long user0 = threads.getCurrentThreadUserTime();
          long start = System.nanoTime();
          for (int i = 0; i < BLOBS; i++) {
            for (ByteBuffer piece : blob) {
              piece.rewind();
            }
            // Every blob a new file, none deleted until the end, as on a donor that keeps
            // storing: the page cache must find memory for each new page (replacing one file
            // again and again recycles its freed pages, which costs a tenth as much).
            AtomicFiles.write(dir.resolve(i + ".part"), dir.resolve(round + "-" + m + "-" + i),
                blob, modes[m]);
          }
          double wallMs = (System.nanoTime() - start) / 1e6;
          double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
          double userMs = (threads.getCurrentThreadUserTime() - user0) / 1e6;
          System.out.printf(Locale.ROOT, "%s %s: wall %.0f ms, CPU %.0f ms (user %.0f, system"
              + " %.0f) for %d MiB%n", round == 0 ? "warm-up" : "round " + round, modes[m],
              wallMs, cpuMs, userMs, cpuMs - userMs, BLOBS * PIECES * PIECE_BYTES >> 20);
          if (round > 0) {
            cpu.get(m).add(cpuMs);
            wall.get(m).add(wallMs);
          }
        }
      }
      for (int m = 0; m < modes.length; m++) {
        System.out.printf(Locale.ROOT, "median %s: CPU %.0f ms, wall %.0f ms per %d MiB%n",
            modes[m], Stats.median(cpu.get(m)), Stats.median(wall.get(m)),
            BLOBS * PIECES * PIECE_BYTES >> 20);
      }
    } finally {
      DeleteTree.delete(dir);
    }
  }
}
