package dev.cairn.cli.bench;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.erasure.ReedSolomon;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** What the donor benchmarks share: seeding a cluster with blobs, medians, cleaning up. */
final class BenchCluster {
  private BenchCluster() {}

  /**
   * Writes {@code blobs} random blobs of {@code blobBytes} straight into their placement donors'
   * stores (R = 3, seeded by {@code run}) and publishes them as one table of schema {@code
   * schema}; returns their ids.
   */
  static List<ContentId> placeAndPublish(LocalCluster cluster, ConnectionPool pool, int blobs,
      int blobBytes, int run, String schema) throws Exception {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    List<byte[]> nodeKeys = cluster.servers().stream().map(s -> s.nodeKey().toBytes()).toList();
    Random random = new Random(run);
    List<BatchRef> batches = new ArrayList<>();
    List<ContentId> ids = new ArrayList<>();
    byte[] blob = new byte[blobBytes];
    for (int i = 0; i < blobs; i++) {
      random.nextBytes(blob);
      ContentId id = ContentId.of(blob);
      for (byte[] key : Placement.choose(id, nodeKeys, 3)) {
        for (StorageServer server : cluster.servers()) {
          if (Arrays.equals(server.nodeKey().toBytes(), key)) {
            server.store().put(id, ByteBuffer.wrap(blob));
          }
        }
      }
      ids.add(id);
      batches.add(new BatchRef(id, blobBytes, 1, ChunkTree.root(blob),
          List.of(new ColumnStats(0, 1L, 1L))));
    }
    publishTable(cluster, pool, writer, schema, RedundancyPolicy.replicas(3), batches);
    return ids;
  }

  /**
   * Writes {@code blobs} random blobs of {@code blobBytes}, each cut into k data and m parity
   * shards, every shard straight into the store of its place (the batch's zone-diverse
   * rendezvous rank: shard i on the i-th donor, as a writer uploads them), and publishes them
   * as one Reed-Solomon k + m table of schema {@code schema}, seeded by {@code run}; returns
   * every shard's id.
   */
  static List<ContentId> placeStripesAndPublish(LocalCluster cluster, ConnectionPool pool,
      int blobs, int blobBytes, int k, int m, int run, String schema) throws Exception {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    List<Placement.Node> nodes = new ArrayList<>();
    for (StorageServer server : cluster.servers()) {
      nodes.add(new Placement.Node(server.nodeKey().toBytes(), server.zone()));
    }
    ReedSolomon code = ReedSolomon.of(k, m);
    Random random = new Random(run);
    List<BatchRef> batches = new ArrayList<>();
    List<ContentId> shardIds = new ArrayList<>();
    byte[] blob = new byte[blobBytes];
    for (int i = 0; i < blobs; i++) {
      random.nextBytes(blob);
      ContentId id = ContentId.of(blob);
      byte[][] shards = Stripe.cut(blob, code);
      List<Placement.Node> places = Placement.rankAcrossZones(id, nodes);
      List<ContentId> ids = new ArrayList<>();
      for (int s = 0; s < shards.length; s++) {
        ContentId shardId = ContentId.of(shards[s]);
        ids.add(shardId);
        for (StorageServer server : cluster.servers()) {
          if (Arrays.equals(server.nodeKey().toBytes(), places.get(s).key())) {
            server.store().put(shardId, ByteBuffer.wrap(shards[s]));
          }
        }
      }
      shardIds.addAll(ids);
      batches.add(new BatchRef(id, blobBytes, 1, ChunkTree.root(blob),
          List.of(new ColumnStats(0, 1L, 1L)), ids));
    }
    publishTable(cluster, pool, writer, schema, RedundancyPolicy.erasure(k, m), batches);
    return shardIds;
  }

  /** Claims {@code schema} for {@code writer} and publishes its one table "blobs". */
  private static void publishTable(LocalCluster cluster, ConnectionPool pool, SigningKey writer,
      String schema, RedundancyPolicy redundancy, List<BatchRef> batches) {
    TableSchema tableSchema =
        new TableSchema(List.of(new Column("id", ColumnType.BIGINT, false)));
    Manifest manifest = new Manifest("blobs", writer.publicKey(), 1, null,
        System.currentTimeMillis(), tableSchema, redundancy, batches);
    MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()),
        Duration.ofSeconds(60));
    meta.claimName(writer, schema);
    meta.publishHead(schema, ManifestCodec.sign(manifest, writer));
  }

  /** Returns the median of one column of per-run results. */
  static double median(List<double[]> results, int column) {
    List<Double> values = new ArrayList<>();
    results.forEach(r -> values.add(r[column]));
    Collections.sort(values);
    return values.get(values.size() / 2);
  }

  /** Deletes a run's directory tree. */
  static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
