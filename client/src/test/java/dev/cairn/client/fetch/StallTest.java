package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.Await;
import dev.cairn.cluster.SilentPeer;
import dev.cairn.wire.ContentId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What counts as a stalled fetch for a stripe's extra shard ({@link
 * FetchScheduler#anyStalled}): a fetch at a donor that sends nothing is stalled once the given
 * time has passed and not before; a finished fetch never is.
 */
class StallTest {
  private static final Duration NEVER = Duration.ofMinutes(10);

  @TempDir Path dir;

  @Test
  void aFetchAtADonorThatSendsNothingIsStalledOnlyOnceTheTimeHasPassed() throws Exception {
    byte[] blob = new byte[10_000];
    new Random(14).nextBytes(blob);
    ContentId id = ContentId.of(blob);
    try (LoopbackDonors donors = new LoopbackDonors(dir, 1, NEVER);
        SilentPeer hung = new SilentPeer();
        FetchScheduler scheduler = new FetchScheduler(donors.pool, FetchOptions.defaults()
            .withCallTimeout(NEVER), (holder, blobId, why) -> { })) {
      donors.put(0, id, blob);
      FetchStream served = scheduler.fetchAll(List.of(new FetchRequest(id, blob.length,
          List.of(donors.address(0)))), 1);
      FetchStream waiting = scheduler.fetchAll(List.of(new FetchRequest(
          ContentId.of(new byte[] {1}), 1, List.of(hung.address()))), 1);
      List<FetchStream> streams = List.of(served, waiting);
      assertFalse(scheduler.anyStalled(streams, Set.of(), TimeUnit.HOURS.toNanos(1)),
          "nothing has waited an hour");
      // Bounded for liveness only: the hung fetch passes 1 ms without a byte almost at once.
      assertTrue(Await.eventually(Duration.ofMinutes(1),
          () -> scheduler.anyStalled(streams, Set.of(), TimeUnit.MILLISECONDS.toNanos(1))));
      assertArrayEquals(blob, served.next().verifiedBytes());
      assertFalse(scheduler.anyStalled(streams, Set.of(1), 1),
          "the served fetch is done, and the hung one is skipped");
      waiting.cancel();
    }
  }
}
