package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.UnawareServiceCluster;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.io.BufferedWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a reader whose placement answers come from a service that has heard no holdings and
 * sees no node live (one just restarted, or heartbeats running late on a loaded machine, as
 * right after a publish) still finds every copy and every shard where the writer put it, from
 * the writer's placement rule over every node any service knows; a shard's own placement
 * (by shard id) would miss most of them. The unaware service is one no donor heartbeats to,
 * so it stays unaware whatever the timing.
 */
class HolderDirectoryWriterOrderTest {
  @TempDir Path dir;

  @Test
  void copiesAndShardsAreFoundWhereTheWriterPutThem() throws Exception {
    try (UnawareServiceCluster both = UnawareServiceCluster.start(dir, 7)) {
      LocalCluster cluster = both.cluster;
      Path csv = writeRows(dir.resolve("rows.csv"), 4_000);
      SigningKey writer = SigningKey.generate(new SecureRandom());
      MetaClient informed = both.client(List.of(cluster.metaAddress()));
      MetaClient firstUnaware = both.client(both.unawareFirst());
      for (RedundancyPolicy policy : List.of(RedundancyPolicy.replicas(2),
          RedundancyPolicy.erasure(4, 2))) {
        String table = policy.isErasure() ? "striped" : "copied";
        Publisher.publish(PublishRequest.of(List.of(cluster.metaAddress()), writer, "acme",
            table, List.of(csv)).withSchema("id BIGINT NOT NULL, name VARCHAR")
            .withBatchTargetBytes(16 << 10).withRedundancy(policy), ProgressListener.NONE);
        Manifest manifest = informed.head("acme", table).orElseThrow().signed().manifest();
        assertTrue(manifest.batches().size() > 3, "several batches: " + manifest.batches());

        Map<ContentId, List<InetSocketAddress>> found = new HolderDirectory(firstUnaware)
            .holdersOf(policy, manifest.batches());
        for (BatchRef batch : manifest.batches()) {
          for (ContentId id : policy.isErasure() ? batch.shardIds() : List.of(batch.id())) {
            List<InetSocketAddress> listed = found.getOrDefault(id, List.of());
            boolean held = false;
            for (StorageServer donor : cluster.servers()) {
              if (donor.store().contains(id)) {
                held = true;
                assertTrue(listed.contains(donor.address()), table + ": blob "
                    + id.toShortHex() + " is on " + donor.address() + ", listed " + listed);
              }
            }
            assertTrue(held, "the publish stored blob " + id.toShortHex());
          }
        }
        if (policy.isErasure()) {
          try (FetchScheduler scheduler = new FetchScheduler(both.pool, FetchOptions.defaults(),
              (holder, id, why) -> { })) {
            StripeFetcher stripes = new StripeFetcher(scheduler);
            for (BatchRef batch : manifest.batches()) {
              byte[] blob = stripes.fetch(batch, policy, found);
              assertArrayEquals(batch.id().toBytes(), ContentId.of(blob).toBytes(),
                  "batch " + batch.id().toShortHex() + " rebuilt from its shards");
            }
          }
        }
      }
    }
  }

  private static Path writeRows(Path csv, int rows) throws Exception {
    try (BufferedWriter out = Files.newBufferedWriter(csv)) {
      out.write("id,name\n");
      for (int i = 0; i < rows; i++) {
        out.write(i + ",name-" + Integer.toHexString(i * 7919) + "\n");
      }
    }
    return csv;
  }
}
