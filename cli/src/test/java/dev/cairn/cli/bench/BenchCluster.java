package dev.cairn.cli.bench;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.ChunkTree;
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
    TableSchema tableSchema =
        new TableSchema(List.of(new Column("id", ColumnType.BIGINT, false)));
    Manifest manifest = new Manifest("blobs", writer.publicKey(), 1, null,
        System.currentTimeMillis(), tableSchema, RedundancyPolicy.replicas(3), batches);
    MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()),
        Duration.ofSeconds(60));
    meta.claimName(writer, schema);
    meta.publishHead(schema, ManifestCodec.sign(manifest, writer));
    return ids;
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
