package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.NodeClient;
import dev.cairn.cluster.SilentPeer;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.erasure.ReedSolomon;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stripe read asks for the shards whose donors have the shortest queues in its scheduler:
 * the data shards when no donor is busier, a parity shard in place of a data shard whose donor
 * already has fetches waiting (so a scan does not queue behind the donors placement gave the
 * most data shards); the slow tail's extra shard waits while its donor is busy with this
 * reader's other fetches; and it reads the right bytes in every case.
 */
class StripeQueueTest {
  private static final Duration NEVER = Duration.ofMinutes(10);
  /**
   * A hedge factor that keeps the slow-tail rule out of the way: the extra shard would be asked
   * only after a million times the first shard's time, so which shards the read asks for is
   * decided by the queues alone.
   */
  private static final double TAIL_NEVER_SLOW = 1e6;
  private static final RedundancyPolicy TWO_PLUS_ONE = RedundancyPolicy.erasure(2, 1);

  @TempDir Path dir;

  private final ConnectionPool pool = new ConnectionPool(NEVER);
  private final List<StorageServer> servers = new ArrayList<>();
  private final byte[] blob = new byte[100_000];
  private final List<ContentId> ids = new ArrayList<>();
  private BatchRef batch;
  private byte[][] shards;

  @BeforeEach
  void cut() {
    new Random(14).nextBytes(blob);
    shards = Stripe.cut(blob, ReedSolomon.of(2, 1));
    for (byte[] shard : shards) {
      ids.add(ContentId.of(shard));
    }
    batch = new BatchRef(ContentId.of(blob), blob.length, 1, null, List.of(), ids);
  }

  @AfterEach
  void stop() {
    pool.close();
    servers.forEach(StorageServer::close);
  }

  @Test
  void idleDonorsServeTheDataShardsAndNothingIsAskedOfTheParityShardsDonor() {
    startServers(3);
    storeShards(0, 1, 2);
    try (FetchScheduler scheduler = new FetchScheduler(pool, FetchOptions.defaults(),
        (holder, id, why) -> { })) {
      StripeFetcher fetcher = new StripeFetcher(scheduler);
      byte[] read = fetcher.fetch(batch, TWO_PLUS_ONE, Map.of(
          ids.get(0), List.of(servers.get(0).address()),
          ids.get(1), List.of(servers.get(1).address()),
          ids.get(2), List.of(servers.get(2).address())));
      assertArrayEquals(blob, read);
      assertEquals(0, fetcher.slowTails(), "no donor was slow");
      assertEquals(0, servers.get(2).servedBytes(), "the parity shard was not asked for");
    }
  }

  @Test
  void aDataShardWhoseDonorHasFetchesWaitingGivesWayToTheParityShard() throws Exception {
    startServers(2);
    storeShards(-1, 0, 1);
    try (SilentPeer busy = new SilentPeer();
        FetchScheduler scheduler = new FetchScheduler(pool, FetchOptions.defaults()
            .withCallTimeout(NEVER).withHedging(TAIL_NEVER_SLOW, 0), (holder, id, why) -> { })) {
      // Five fetches that never end wait on the donor of data shard 0 (three running, the cap,
      // and two queued), as when a scan has many stripes in flight there.
      List<FetchRequest> waiting = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        waiting.add(new FetchRequest(ContentId.of(new byte[] {(byte) i}), 1,
            List.of(busy.address())));
      }
      FetchStream queue = scheduler.fetchAll(waiting, waiting.size());
      assertEquals(5, scheduler.queuedAt(List.of(busy.address()))[0]);
      StripeFetcher fetcher = new StripeFetcher(scheduler);
      Map<ContentId, List<InetSocketAddress>> holders = Map.of(
          ids.get(0), List.of(busy.address()),
          ids.get(1), List.of(servers.get(0).address()),
          ids.get(2), List.of(servers.get(1).address()));
      CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() ->
          fetcher.fetch(batch, TWO_PLUS_ONE, holders));
      // A bound for liveness only.
      assertArrayEquals(blob, read.get(3, TimeUnit.MINUTES), "decoded from shards 1 and 2");
      assertEquals(0, fetcher.slowTails(), "shards 1 and 2 were asked for at once: asking for "
          + "data shard 0 first would have needed the slow-tail rule to finish");
      assertTrue(servers.get(1).servedBytes() >= shards[2].length, "the parity shard was read");
      queue.cancel();
    }
  }

  @Test
  void theSlowTailsExtraShardWaitsWhileItsDonorIsBusyWithThisReader() throws Exception {
    startServers(1);
    StorageServerConfig limited = StorageServerConfig.defaults(dir.resolve("limited"))
        .withListen("127.0.0.1", 0);
    servers.add(StorageServer.start(limited.withLimits(0, 1 << 20, limited.connectionsMax())));
    storeShards(0, -1, 1);
    byte[] large = new byte[3 << 20];
    new Random(15).nextBytes(large);
    ContentId largeId = ContentId.of(large);
    new NodeClient(pool, servers.get(1).address(), null, Duration.ofSeconds(30))
        .put(largeId, large, SigningKey.generate(new SecureRandom()));
    try (SilentPeer hung = new SilentPeer();
        FetchScheduler scheduler = new FetchScheduler(pool, FetchOptions.defaults()
            .withCallTimeout(NEVER), (holder, id, why) -> { })) {
      // The parity shard's donor sends at 1 MiB/s and is busy with a 3 MiB blob of this
      // reader; data shard 1's donor never answers, so the read needs the parity shard.
      FetchStream busy = scheduler.fetchAll(List.of(new FetchRequest(largeId, large.length,
          List.of(servers.get(1).address()))), 1);
      StripeFetcher fetcher = new StripeFetcher(scheduler);
      Map<ContentId, List<InetSocketAddress>> holders = Map.of(
          ids.get(0), List.of(servers.get(0).address()),
          ids.get(1), List.of(hung.address()),
          ids.get(2), List.of(servers.get(1).address()));
      CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() ->
          fetcher.fetch(batch, TWO_PLUS_ONE, holders));
      // A bound for liveness only.
      assertArrayEquals(blob, read.get(3, TimeUnit.MINUTES), "decoded from shards 0 and 2");
      synchronized (scheduler.lock()) {
        assertTrue(busy.settledLocked(),
            "the parity shard was asked for only once its donor had served the busy blob");
      }
      assertArrayEquals(large, busy.next().verifiedBytes());
    }
  }

  private void startServers(int count) {
    for (int i = 0; i < count; i++) {
      servers.add(StorageServer.start(StorageServerConfig.defaults(dir.resolve("node" + i))
          .withListen("127.0.0.1", 0)));
    }
  }

  /** Stores shard i on server {@code onServer[i]}; -1 stores it nowhere. */
  private void storeShards(int... onServer) {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    for (int i = 0; i < onServer.length; i++) {
      if (onServer[i] >= 0) {
        new NodeClient(pool, servers.get(onServer[i]).address(), null, Duration.ofSeconds(30))
            .put(ids.get(i), shards[i], writer);
      }
    }
  }
}
