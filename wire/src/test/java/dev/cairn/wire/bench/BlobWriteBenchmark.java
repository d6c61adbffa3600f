package dev.cairn.wire.bench;

import dev.cairn.wire.AtomicFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes blobs as a donor stores them (each a new file, from 64 KiB direct buffers as the
 * socket delivered them, forced, renamed, directory forced) in two ways, alternating round by
 * round in one JVM: {@link AtomicFiles#write} as it is, and the peer, one gathering write call
 * a blob (what {@code AtomicFiles} did before its calls were capped). Prints the writing
 * thread's system CPU and the wall time of each round and their medians.
 *
 * <p>{@code BlobWriteBenchmark [blobs] [blobMiB] [rounds]}, defaults 100 blobs of 4.3 MiB (a
 * lineitem batch) and 6 rounds of each. The system CPU is the thread's CPU less its user time.
 */
public final class BlobWriteBenchmark {
  private static final int PIECE_BYTES = 64 * 1024;

  private BlobWriteBenchmark() {}

  public static void main(String[] args) throws IOException {
    int blobs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int blobBytes = (int) ((args.length > 1 ? Double.parseDouble(args[1]) : 4.3) * (1 << 20));
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    ByteBuffer[] pieces = pieces(blobBytes);
    Path dir = Files.createTempDirectory("cairn-blob-write");
    List<Double> cappedSystem = new ArrayList<>();
    List<Double> wholeSystem = new ArrayList<>();
    try {
      for (int round = 0; round <= rounds; round++) { // round 0 warms up and is not counted
        for (boolean capped : new boolean[] {round % 2 == 0, round % 2 != 0}) {
          double[] seconds = writeBlobs(dir, pieces, blobs, capped);
          System.out.printf(Locale.ROOT, "%s %s: system CPU %.3f s, wall %.3f s%n",
              round == 0 ? "warm-up" : "round " + round,
              capped ? "AtomicFiles (calls <= 1 MiB)" : "one call a blob", seconds[0],
              seconds[1]);
          if (round > 0) {
            (capped ? cappedSystem : wholeSystem).add(seconds[0]);
          }
        }
      }
    } finally {
      deleteTree(dir);
    }
    System.out.printf(Locale.ROOT, "%d blobs of %.1f MiB: median system CPU, AtomicFiles %.3f s, "
        + "one call a blob %.3f s%n", blobs, blobBytes / (double) (1 << 20),
        median(cappedSystem), median(wholeSystem));
  }

  private static ByteBuffer[] pieces(int blobBytes) {
    Random random = new Random(42);
    ByteBuffer[] pieces = new ByteBuffer[(blobBytes + PIECE_BYTES - 1) / PIECE_BYTES];
    for (int i = 0; i < pieces.length; i++) {
      byte[] bytes = new byte[Math.min(PIECE_BYTES, blobBytes - i * PIECE_BYTES)];
      random.nextBytes(bytes);
      pieces[i] = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
    return pieces;
  }

  /** Writes and then deletes {@code blobs} files; returns {system CPU, wall} seconds. */
  private static double[] writeBlobs(Path dir, ByteBuffer[] pieces, int blobs, boolean capped)
      throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long user = threads.getCurrentThreadUserTime();
    long start = System.nanoTime();
    for (int blob = 0; blob < blobs; blob++) {
      for (ByteBuffer piece : pieces) {
        piece.rewind();
      }
      Path temporary = dir.resolve(blob + ".tmp");
      Path target = dir.resolve("blobs").resolve(Integer.toString(blob));
      if (capped) {
        AtomicFiles.write(temporary, target, pieces, AtomicFiles.Sync.DURABLE);
      } else {
        writeInOneCall(temporary, target, pieces);
      }
    }
    long wall = System.nanoTime() - start;
    long system = (threads.getCurrentThreadCpuTime() - cpu)
        - (threads.getCurrentThreadUserTime() - user);
    deleteTree(dir.resolve("blobs"));
    return new double[] {system / 1e9, wall / 1e9};
  }

  /** The peer: AtomicFiles' steps, with the whole blob handed to one gathering write. */
  private static void writeInOneCall(Path temporary, Path target, ByteBuffer[] pieces)
      throws IOException {
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      int first = 0;
      while (first < pieces.length) {
        channel.write(pieces, first, pieces.length - first);
        while (first < pieces.length && !pieces[first].hasRemaining()) {
          first++;
        }
      }
      channel.force(true);
    }
    Files.createDirectories(target.getParent());
    Files.move(temporary, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel directory = FileChannel.open(target.getParent(),
        StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(path);
      }
    }
  }
}
