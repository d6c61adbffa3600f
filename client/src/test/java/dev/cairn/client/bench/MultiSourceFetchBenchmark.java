package dev.cairn.client.bench;

import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.client.fetch.FetchStream;
import dev.cairn.client.fetch.FetchedBlob;
import dev.cairn.client.fetch.HolderStats;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.NodeClient;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Scan rate of {@link FetchScheduler} over three loopback donors, each limited to {@value
 * #LIMIT_MIB_PER_S} MiB/s of downloads, every blob held by all three, against the same blobs
 * listed with a single holder. The promise: close to 3 × the limit, not 1 ×.
 *
 * <p>Run (after {@code mvn -q -pl client -am test-compile}) with the test classpath; args:
 * {@code [runs] [blobCount] [blobMiB]}, defaults 3, 25, 4 (100 MiB).
 */
public final class MultiSourceFetchBenchmark {
  private static final long LIMIT_MIB_PER_S = 20;
  private static final long MIB = 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int RESULTS_IN_FLIGHT_MAX = 16;

  private MultiSourceFetchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int blobCount = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    int blobMib = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Path root = Files.createTempDirectory("cairn-fetch-bench");
    List<StorageServer> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(StorageServer.start(StorageServerConfig.defaults(root.resolve("node" + i))
            .withListen("127.0.0.1", 0).withLimits(0, LIMIT_MIB_PER_S * MIB, 1024)));
      }
      List<FetchRequest> all = store(servers, blobCount, blobMib * MIB);
      List<FetchRequest> single = all.stream().map(r -> new FetchRequest(r.id(),
          r.expectedBytes(), List.of(r.holders().get(0)))).toList();
      double totalMib = blobCount * (double) blobMib;
      System.out.printf("cpu: %s; %d blobs x %d MiB = %.0f MiB; limit L = %d MiB/s per donor%n",
          cpuModel(), blobCount, blobMib, totalMib, LIMIT_MIB_PER_S);
      List<Double> multiRates = new ArrayList<>();
      List<Double> singleRates = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        multiRates.add(measure("run " + run + " 3 holders", all, servers, totalMib));
        singleRates.add(measure("run " + run + " 1 holder ", single, servers, totalMib));
      }
      System.out.printf("median 3 holders: %.1f MiB/s (n*L = %d MiB/s, %.0f%%)%n",
          median(multiRates), 3 * LIMIT_MIB_PER_S,
          100 * median(multiRates) / (3 * LIMIT_MIB_PER_S));
      System.out.printf("median 1 holder : %.1f MiB/s (L = %d MiB/s); speed-up %.2fx%n",
          median(singleRates), LIMIT_MIB_PER_S, median(multiRates) / median(singleRates));
    } finally {
      servers.forEach(StorageServer::close);
      deleteTree(root);
    }
  }

  private static List<FetchRequest> store(List<StorageServer> servers, int count, long bytes) {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    List<InetSocketAddress> holders = servers.stream().map(StorageServer::address).toList();
    List<FetchRequest> requests = new ArrayList<>();
    Random random = new Random(1);
    try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      for (int i = 0; i < count; i++) {
        byte[] blob = new byte[(int) bytes];
        random.nextBytes(blob);
        ContentId id = ContentId.of(blob);
        for (InetSocketAddress holder : holders) {
          new NodeClient(pool, holder, null, TIMEOUT).put(id, blob, writer);
        }
        requests.add(new FetchRequest(id, bytes, holders));
      }
    }
    return requests;
  }

  /** Fetches every request once with a fresh pool and scheduler; returns MiB/s. */
  private static double measure(String label, List<FetchRequest> requests,
      List<StorageServer> servers, double totalMib) {
    long[] servedBefore = servers.stream().mapToLong(StorageServer::servedBytes).toArray();
    try (ConnectionPool pool = new ConnectionPool(TIMEOUT);
        FetchScheduler scheduler = new FetchScheduler(pool,
            FetchOptions.defaults().withCallTimeout(TIMEOUT), (h, id, why) ->
            System.out.println("  bad holder " + h + ": " + why.getMessage()))) {
      long start = System.nanoTime();
      long bytes = 0;
      try (FetchStream stream = scheduler.fetchAll(requests, RESULTS_IN_FLIGHT_MAX)) {
        while (stream.hasNext()) {
          FetchedBlob blob = stream.next();
          bytes += blob.verifiedBytes().length;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = bytes / (double) MIB / seconds;
      StringBuilder shares = new StringBuilder();
      for (int i = 0; i < servers.size(); i++) {
        long served = servers.get(i).servedBytes() - servedBefore[i];
        shares.append(String.format(" %.0f%%", 100.0 * served / (totalMib * MIB)));
      }
      long won = scheduler.stats().stream().mapToLong(HolderStats::fetchesWon).sum();
      System.out.printf("%s: %.1f MiB/s (%.2f s), donor shares%s, hedges %d (won %d), "
          + "fetches %d%n", label, rate, seconds, shares, scheduler.hedgesStarted(),
          scheduler.hedgesWon(), won);
      return rate;
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown") + " x "
          + Runtime.getRuntime().availableProcessors();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
