package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cli.Main;
import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Shared helpers of the fault tests: a fast-healing cluster, a table, and copy counting. */
public final class HealFixtures {
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  /** Bounded wait for a heal to finish; generous for a loaded 2-core CI machine. */
  static final Duration HEAL_WAIT = Duration.ofSeconds(40);
  /** How long copy counts must stay as expected to count as settled: several repair rounds. */
  static final Duration SETTLED_FOR = Duration.ofMillis(1500);
  /** Quick rounds, so that tests see repairs within seconds; scrubbing is driven by tests. */
  static final HealConfig FAST = HealConfig.defaults()
      .withRepair(Duration.ofMillis(300), 0)
      .withScrub(Duration.ofHours(1), HealConfig.DEFAULT_SCRUB_BYTES_PER_SECOND);

  private HealFixtures() {}

  static LocalCluster.Options options(int servers) {
    return LocalCluster.Options.of(servers).withDeadAfter(Duration.ofMillis(1500)).withHeal(FAST);
  }

  /** Publishes a CSV of {@code rows} rows as {@code schema.table} with R = 3, small batches. */
  static Manifest publish(LocalCluster cluster, Path dir, SigningKey key, String schema,
      String table, int rows) throws IOException {
    return publish(cluster, writeEvents(dir.resolve(table + ".csv"), rows, rows), key, schema,
        table, RedundancyPolicy.replicas(3));
  }

  /**
   * Writes {@code rows} rows of {@code id,name,amount} to {@code csv}, names and amounts drawn
   * from {@code seed}: equal seeds give equal rows, hence equal batch ids. Returns {@code csv}.
   */
  static Path writeEvents(Path csv, int rows, long seed) throws IOException {
    Random random = new Random(seed);
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("id,name,amount\n");
      for (int i = 0; i < rows; i++) {
        out.write(i + ",n" + random.nextInt(1_000_000) + "," + random.nextInt(100_000) + "\n");
      }
    }
    return csv;
  }

  /**
   * Publishes {@code csv} as {@code schema.table} in small batches (64 KiB) with {@code
   * redundancy}; returns the manifest the metadata service now lists as its head.
   */
  static Manifest publish(LocalCluster cluster, Path csv, SigningKey key, String schema,
      String table, RedundancyPolicy redundancy) throws IOException {
    Publisher.publish(PublishRequest.of(List.of(cluster.metaAddress()), key, schema, table,
        List.of(csv)).withRedundancy(redundancy).withBatchTargetBytes(64 << 10),
        ProgressListener.NONE);
    try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      return new MetaClient(pool, List.of(cluster.metaAddress()), TIMEOUT).head(schema, table)
          .orElseThrow().signed().manifest();
    }
  }

  /**
   * Returns count(*), sum(id), sum(amount) and count(distinct name) of {@code schema}.events
   * through jdbc:cairn. Each {@code cacheMib} is a runtime of its own (runtimes are shared
   * JVM-wide by configuration), so a size not used before starts from an empty cache and
   * really fetches from the donors.
   */
  static List<Object> eventsAnswer(LocalCluster cluster, String schema, int cacheMib)
      throws SQLException {
    String url = "jdbc:cairn://" + cluster.metaHostPort() + "/" + schema + "?cache.size="
        + cacheMib + "MiB";
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(
            "select count(*), sum(id), sum(amount), count(distinct name) from events")) {
      assertTrue(result.next());
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        row.add(result.getLong(i));
      }
      return row;
    }
  }

  /**
   * Checks that a query over a 4 + 2 table with three donors stopped failed as it must: LOST,
   * naming three of six shards of one of {@code manifest}'s batches unavailable, SQLState
   * 58030.
   */
  static void assertThreeShardsLost(SQLException lost, Manifest manifest) {
    assertTrue(lost.getMessage().contains("LOST: 3 of 6 shards of batch ")
        && lost.getMessage().contains(" unavailable"), lost.getMessage());
    assertTrue(manifest.batches().stream().anyMatch(b -> lost.getMessage().contains(
        b.id().toShortHex())), "names the batch: " + lost.getMessage());
    assertEquals("58030", lost.getSQLState());
  }

  /**
   * Overwrites a donor's blob file the way a lying donor would: new bytes under the old stat
   * (same size, inode and modification time), so the donor's own touched-file check passes it
   * and only audits or readers can catch it.
   */
  public static void overwriteKeepingStat(java.nio.file.Path file, byte[] bytes)
      throws java.io.IOException {
    java.nio.file.attribute.FileTime modified = java.nio.file.Files.getLastModifiedTime(file);
    java.nio.file.Files.write(file, bytes);
    java.nio.file.Files.setLastModifiedTime(file, modified);
  }

  static SigningKey newKey() {
    return SigningKey.generate(new SecureRandom());
  }

  /** Returns how many of {@code servers} (skipping {@code stopped}) hold a verified copy. */
  static int copies(List<StorageServer> servers, Set<Integer> stopped, ContentId id)
      throws IOException {
    int copies = 0;
    for (int i = 0; i < servers.size(); i++) {
      if (!stopped.contains(i) && servers.get(i).store().contains(id)
          && ContentId.of(servers.get(i).store().read(id)).equals(id)) {
        copies++;
      }
    }
    return copies;
  }

  /** Returns, per batch, how many running servers hold a verified copy. */
  static List<Integer> copiesPerBatch(LocalCluster cluster, Set<Integer> stopped,
      Manifest manifest) throws IOException {
    List<Integer> counts = new ArrayList<>();
    for (BatchRef batch : manifest.batches()) {
      counts.add(copies(cluster.servers(), stopped, batch.id()));
    }
    return counts;
  }

  /**
   * Waits, bounded, until every batch has exactly {@code r} verified copies on running servers
   * and the metadata service lists exactly {@code r} live holders of each (what readers see).
   */
  static void awaitExactCopies(LocalCluster cluster, Set<Integer> stopped, Manifest manifest,
      int r) throws Exception {
    awaitExactCopies(cluster, stopped, manifest, r, true);
  }

  /**
   * Like the above; {@code checkMeta} false skips the metadata service's (claimed) holders.
   * The counts must hold for {@link #SETTLED_FOR} on end: under heavy load a donor may miss
   * heartbeats for a dead-after period, and the others then pull a copy in its place that
   * is dropped again once it is back, so a single look can catch a passing surplus.
   */
  static void awaitExactCopies(LocalCluster cluster, Set<Integer> stopped, Manifest manifest,
      int r, boolean checkMeta) throws Exception {
    long[] heldSince = {0};
    boolean done = Await.eventually(HEAL_WAIT, () -> {
      boolean exact;
      try {
        exact = copiesPerBatch(cluster, stopped, manifest).stream().allMatch(c -> c == r)
            && (!checkMeta || metaHolders(cluster, manifest).stream().allMatch(c -> c == r));
      } catch (IOException e) {
        exact = false;
      }
      long now = System.nanoTime();
      if (!exact) {
        heldSince[0] = 0;
        return false;
      }
      if (heldSince[0] == 0) {
        heldSince[0] = now;
      }
      return now - heldSince[0] >= SETTLED_FOR.toNanos();
    });
    assertEquals(List.of(r), copiesPerBatch(cluster, stopped, manifest).stream().distinct()
        .toList(), "copies per batch after waiting " + HEAL_WAIT + (done ? "" : " (timed out)")
        + ": holders " + holderIndexes(cluster, stopped, manifest));
    if (checkMeta) {
      assertEquals(List.of(r), metaHolders(cluster, manifest).stream().distinct().toList(),
          "live holders per batch the metadata service lists");
    }
  }

  private static List<List<Integer>> holderIndexes(LocalCluster cluster, Set<Integer> stopped,
      Manifest manifest) {
    List<List<Integer>> result = new ArrayList<>();
    for (BatchRef batch : manifest.batches()) {
      List<Integer> holding = new ArrayList<>();
      for (int i = 0; i < cluster.servers().size(); i++) {
        if (!stopped.contains(i) && cluster.servers().get(i).store().contains(batch.id())) {
          holding.add(i);
        }
      }
      result.add(holding);
    }
    return result;
  }

  /** Returns, per batch, how many live holders the metadata service lists. */
  static List<Integer> metaHolders(LocalCluster cluster, Manifest manifest) {
    try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()), TIMEOUT);
      List<ContentId> ids = manifest.batches().stream().map(BatchRef::id).toList();
      return meta.placement(manifest.redundancy().replicas(), ids).stream()
          .map(p -> p.holders().size()).toList();
    }
  }

  /**
   * Reads every batch through the reader's FetchScheduler from the holders the metadata service
   * lists (as a reader would) and checks each against its id; returns the bytes read.
   */
  static long readEveryBatch(LocalCluster cluster, Manifest manifest) {
    try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()), TIMEOUT);
      Map<PublicKey, InetSocketAddress> addresses = new HashMap<>();
      for (NodeInfo node : meta.nodes()) {
        addresses.put(PublicKey.fromBytes(node.nodeKey()),
            HostPort.parse(node.address()).resolve());
      }
      List<ContentId> ids = manifest.batches().stream().map(BatchRef::id).toList();
      List<BlobPlacement> placements = meta.placement(manifest.redundancy().replicas(), ids);
      long bytes = 0;
      try (FetchScheduler fetcher = new FetchScheduler(pool,
          FetchOptions.defaults().withCallTimeout(TIMEOUT), (holder, id, why) -> { })) {
        for (int i = 0; i < ids.size(); i++) {
          List<InetSocketAddress> holders = new ArrayList<>();
          for (byte[] key : placements.get(i).holders()) {
            holders.add(addresses.get(PublicKey.fromBytes(key)));
          }
          byte[] blob = fetcher.fetchOne(new FetchRequest(ids.get(i),
              manifest.batches().get(i).byteSize(), holders));
          assertEquals(ids.get(i), ContentId.of(blob), "verified bytes of batch " + i);
          bytes += blob.length;
        }
      }
      return bytes;
    }
  }

  /** Runs {@code cairn status --wait-healthy} and returns its exit code. */
  static int waitHealthy(LocalCluster cluster, Duration timeout) {
    return Main.execute("status", "--meta", cluster.metaHostPort(), "--wait-healthy",
        timeout.toSeconds() + "s");
  }
}
