package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure-coded publishes cut batches so that no shard is larger than an auditor reads whole
 * (docs/protocol.md 4.8, "Audits"): an input group that encodes to more than k × 16 MiB becomes
 * several batches, in row order, each of whose shards is audited.
 */
class ShardBoundTest {
  /** Rows of 1,000 random letters: about 24 MB of CSV that LZ4 cannot shrink below 16 MiB. */
  private static final int ROWS = 24_000;
  private static final int TEXT_CHARS = 1_000;

  @TempDir
  Path dir;

  @Test
  void aGroupLargerThanOneAuditableShardBecomesSeveralBatchesInRowOrder() throws Exception {
    Path csv = dir.resolve("wide.csv");
    Random random = new Random(14);
    char[] text = new char[TEXT_CHARS];
    try (BufferedWriter out = Files.newBufferedWriter(csv)) {
      out.write("id,payload\n");
      for (int i = 0; i < ROWS; i++) {
        for (int c = 0; c < TEXT_CHARS; c++) {
          text[c] = (char) ('a' + random.nextInt(26));
        }
        out.write(i + ",");
        out.write(text);
        out.write('\n');
      }
    }
    SigningKey writer = SigningKey.generate(new SecureRandom());
    try (Cluster cluster = Cluster.start(dir.resolve("cluster"), 2, 1L << 30)) {
      // One group of the whole file: with 1 + 1 a shard is the whole batch.
      PublishResult result = Publisher.publish(PublishRequest.of(List.of(cluster.metaAddress()),
          writer, "acme", "wide", List.of(csv)).withSchema("id BIGINT NOT NULL, payload VARCHAR")
          .withBatchTargetBytes(Files.size(csv) + 1).withErasure(1, 1), ProgressListener.NONE);
      Manifest manifest = cluster.metaClient().head("acme", "wide").orElseThrow().signed()
          .manifest();
      assertTrue(manifest.batches().size() >= 2, "the group was cut: " + manifest.batches());
      assertEquals(result.batches(), manifest.batches().size());
      long nextId = 0;
      try (RootAllocator allocator = new RootAllocator()) {
        for (BatchRef batch : manifest.batches()) {
          assertTrue(batch.byteSize() <= Stripe.auditableBlobBytesMax(1), "batch of "
              + batch.byteSize() + " bytes");
          for (ContentId shard : batch.shardIds()) {
            long size = storedSize(cluster, shard);
            assertTrue(Stripe.auditable(size), "shard of " + size + " bytes");
          }
          byte[] blob = storedBytes(cluster, batch.shardIds().get(0));
          try (DecodedBatch decoded = BatchDecoder.decodeVerified(batch.id(), blob,
              manifest.schema(), allocator)) {
            for (VectorSchemaRoot root : decoded.roots()) {
              BigIntVector ids = (BigIntVector) root.getVector(0);
              for (int i = 0; i < root.getRowCount(); i++) {
                assertEquals(nextId++, ids.get(i), "rows in input order");
              }
            }
          }
        }
      }
      assertEquals(ROWS, nextId, "every row is in one batch");
    }
  }

  private static long storedSize(Cluster cluster, ContentId shard) throws Exception {
    for (StorageServer node : cluster.nodes) {
      if (node.store().contains(shard)) {
        return Files.size(node.store().file(shard));
      }
    }
    throw new AssertionError("no donor holds shard " + shard.toShortHex());
  }

  private static byte[] storedBytes(Cluster cluster, ContentId shard) throws Exception {
    for (StorageServer node : cluster.nodes) {
      if (node.store().contains(shard)) {
        return node.store().read(shard);
      }
    }
    throw new AssertionError("no donor holds shard " + shard.toShortHex());
  }
}
