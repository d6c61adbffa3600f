package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.SilentPeer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.erasure.ReedSolomon;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stripe read asks for k shards first and for a parity shard only when the tail is slow: a
 * data shard's holder that accepts the connection and never answers (a hung donor, with call
 * and handshake timeouts of 10 minutes) is covered by the parity shard asked once the other
 * shard has been in for the hedge factor times as long, not after a timeout.
 */
class StripeTailTest {
  private static final Duration NEVER = Duration.ofMinutes(10);

  @TempDir Path dir;

  @Test
  void aHungDataShardHolderIsCoveredByTheParityShardAskedForTheSlowTail() throws Exception {
    byte[] blob = new byte[100_000];
    new Random(14).nextBytes(blob);
    byte[][] shards = Stripe.cut(blob, ReedSolomon.of(2, 1));
    List<ContentId> ids = new ArrayList<>();
    for (byte[] shard : shards) {
      ids.add(ContentId.of(shard));
    }
    BatchRef batch = new BatchRef(ContentId.of(blob), blob.length, 1, null, List.of(), ids);
    try (LoopbackDonors donors = new LoopbackDonors(dir, 2, NEVER);
        SilentPeer hung = new SilentPeer();
        FetchScheduler scheduler = new FetchScheduler(donors.pool, FetchOptions.defaults()
            .withCallTimeout(NEVER), (holder, id, why) -> { })) {
      Map<ContentId, List<InetSocketAddress>> holders = Map.of(
          ids.get(0), List.of(hung.address()),
          ids.get(1), List.of(donors.address(0)),
          ids.get(2), List.of(donors.address(1)));
      donors.put(0, ids.get(1), shards[1]);
      donors.put(1, ids.get(2), shards[2]);
      CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() ->
          new StripeFetcher(scheduler).fetch(batch, RedundancyPolicy.erasure(2, 1), holders));
      // A bound for liveness only: without the tail rule the read waits out NEVER.
      assertArrayEquals(blob, read.get(3, TimeUnit.MINUTES), "decoded from shards 1 and 2");
      assertTrue(hung.acceptedConnections() >= 1, "data shard 0 was asked first");
    }
  }
}
