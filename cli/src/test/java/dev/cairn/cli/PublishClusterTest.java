package dev.cairn.cli;

import static dev.cairn.cli.ClusterFixtures.cairn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Placement;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.MetaMessages.PublishHead;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a publish through the real CLI lands every batch on exactly its R placement donors with
 * the right bytes, becomes the table's head, and a second publish makes version 2 while
 * version 1 stays in history. Forged and replayed heads are refused by name.
 */
class PublishClusterTest {
  @TempDir Path dir;

  @Test
  void millionRowsLandOnTheirPlacementNodesAndVersionsChain() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), LocalCluster.Options.of(3));
        ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      SigningKey key = ClusterFixtures.key(dir.resolve("alice.key"));
      Path input = ClusterFixtures.csv(dir, "rows.csv", 1_000_000, 1);
      String meta = cluster.metaHostPort();

      assertEquals(0, cairn("publish", "--meta", meta, "--key", dir.resolve("alice.key").toString(),
          "--table", "alice.rows", "--replicas", "3", "--batch-size", "4MiB", input.toString()));

      MetaClient client = ClusterFixtures.metaClient(pool, cluster.metaAddress());
      VerifiedHead first = client.head("alice", "rows").orElseThrow();
      Manifest manifest = first.signed().manifest();
      assertEquals(1, first.version());
      assertEquals(key.publicKey(), manifest.writerKey());
      assertEquals(3, manifest.redundancy().replicas());
      assertTrue(manifest.batches().size() > 1, "1M rows at 4 MiB batches make several batches");
      assertEquals(1_000_000, manifest.batches().stream().mapToLong(BatchRef::rowCount).sum());
      assertEachBatchOnItsPlacement(cluster.servers(), manifest);

      Path more = ClusterFixtures.csv(dir, "more.csv", 1000, 2);
      assertEquals(0, cairn("publish", "--meta", meta, "--key", dir.resolve("alice.key").toString(),
          "--table", "alice.rows", more.toString()));
      List<VerifiedHead> versions = client.versions("alice", "rows");
      assertEquals(List.of(1L, 2L), versions.stream().map(VerifiedHead::version).toList());
      assertEquals(first.id(), versions.get(1).signed().manifest().parentId());
      assertEquals(2, client.head("alice", "rows").orElseThrow().version());

      refusesForgedAndReplayedHeads(cluster, first);
    }
  }

  private static void assertEachBatchOnItsPlacement(List<StorageServer> servers,
      Manifest manifest) throws Exception {
    List<byte[]> nodeKeys = new ArrayList<>();
    servers.forEach(s -> nodeKeys.add(s.nodeKey().toBytes()));
    for (BatchRef batch : manifest.batches()) {
      List<byte[]> placed = Placement.choose(batch.id(), nodeKeys, 3);
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < servers.size(); i++) {
        for (byte[] key : placed) {
          if (java.util.Arrays.equals(key, nodeKeys.get(i))) {
            expected.add(i);
          }
        }
      }
      assertEquals(expected, ClusterFixtures.holders(servers, batch.id()),
          "batch " + batch.id().toShortHex() + " is held by exactly its placement nodes");
      assertEquals(batch.byteSize(), servers.get(expected.get(0)).store().size(batch.id()));
    }
  }

  private static void refusesForgedAndReplayedHeads(LocalCluster cluster, VerifiedHead first)
      throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (RpcConnection connection = RpcConnection.connect(group, cluster.metaAddress(),
        new Hello(PeerRole.CLIENT, null), ClusterFixtures.TIMEOUT)) {
      byte[] forged = first.signed().encoded().clone();
      forged[forged.length - 1] ^= 1; // the last byte of the signature
      assertEquals(ErrorCode.BAD_SIGNATURE, publishRaw(connection, forged).code());
      byte[] replayed = first.signed().encoded();
      CairnException stale = publishRaw(connection, replayed);
      assertEquals(ErrorCode.STALE_VERSION, stale.code());
      assertTrue(stale.getMessage().startsWith("STALE_VERSION"));
    } finally {
      group.shutdownGracefully().syncUninterruptibly();
    }
  }

  private static CairnException publishRaw(RpcConnection connection, byte[] manifest) {
    ByteBuf payload = Unpooled.buffer();
    new PublishHead(manifest).writeTo(payload);
    ExecutionException failed = assertThrows(ExecutionException.class, () -> {
      Frame reply = connection.call(FrameType.PUBLISH_HEAD, payload, ClusterFixtures.TIMEOUT)
          .get();
      reply.release();
    });
    return assertInstanceOf(CairnException.class, failed.getCause());
  }

  @Test
  void quotaExceededPublishesNothing() throws Exception {
    LocalCluster.Options options = LocalCluster.Options.of(3)
        .withQuotas(1L << 20, java.util.Map.of());
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), options);
        ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      ClusterFixtures.key(dir.resolve("bob.key"));
      Path input = ClusterFixtures.csv(dir, "big.csv", 300_000, 3); // about 10 MiB of CSV
      java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
      java.io.PrintStream standardError = System.err;
      System.setErr(new java.io.PrintStream(errors, true, java.nio.charset.StandardCharsets.UTF_8));
      int exit;
      try {
        exit = cairn("publish", "--meta", cluster.metaHostPort(), "--key",
            dir.resolve("bob.key").toString(), "--table", "bob.big", "--batch-size", "1MiB",
            input.toString());
      } finally {
        System.setErr(standardError);
      }
      assertEquals(Main.EXIT_FAILED, exit);
      String message = errors.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(message.contains("QUOTA_EXCEEDED"), "the CLI names the error: " + message);
      MetaClient client = ClusterFixtures.metaClient(pool, cluster.metaAddress());
      assertFalse(client.head("bob", "big").isPresent(), "no version became visible");
    }
  }

  @Test
  void badArgumentsExitWithTwo() {
    assertEquals(Main.EXIT_USAGE, cairn("publish", "--meta", "nohostport", "--key", "k",
        "--table", "a.b", "x.csv"));
    assertEquals(Main.EXIT_USAGE, cairn("server", "--data", dir.toString(), "--capacity", "lots"));
    assertEquals(Main.EXIT_USAGE, cairn("meta", "--data", dir.toString(), "--dead-after", "soon"));
    assertEquals(Main.EXIT_USAGE, cairn("frobnicate"));
  }
}
