package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
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
import java.time.Duration;
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
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void copiesAndShardsAreFoundWhereTheWriterPutThem() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
            LocalCluster.Options.of(7).withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
                .withCapacity(1L << 30).withQuotas(1L << 30, Map.of()));
        MetadataService unaware = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0,
            dir.resolve("unaware")));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      Path csv = writeRows(dir.resolve("rows.csv"), 4_000);
      SigningKey writer = SigningKey.generate(new SecureRandom());
      MetaClient informed = new MetaClient(pool, List.of(cluster.metaAddress()), TIMEOUT);
      MetaClient firstUnaware = new MetaClient(pool,
          List.of(unaware.address(), cluster.metaAddress()), TIMEOUT);
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
          try (FetchScheduler scheduler = new FetchScheduler(pool, FetchOptions.defaults(),
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
