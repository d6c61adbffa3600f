package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.cluster.SilentPeer;
import dev.cairn.wire.ContentId;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a holder that accepts connections and never answers (a hung donor) costs a scan of 100
 * batches a small constant number of handshake timeouts, not one per batch or per query: the
 * connection pool, which the SQL runtime shares between sessions, backs off from it, and each
 * session's scheduler asks the holders that answer. Counted at the hung peer (the connections
 * it accepted), never timed. Its timeouts are not reported as bad bytes.
 */
class HungHolderTest {
  /** Short, so that the few timeouts paid keep the test quick. */
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(400);
  private static final int BATCHES = 100;
  /** Batches per session: each session has its own scheduler, as each JDBC connection does. */
  private static final int BATCHES_PER_SESSION = 5;
  /**
   * Handshakes the hung holder may see: the first wave (the pool's two connection slots, one
   * per concurrent attempt or RTT probe) plus one probe per ended backoff window (2 s, 4 s,
   * 8 s ...) however long the scan takes on a loaded machine. Without backoff it is one per
   * batch sent there.
   */
  private static final int HANDSHAKES_MAX = 8;

  @TempDir Path dir;

  private LoopbackDonors donors;
  private ConnectionPool pool;

  @BeforeEach
  void start() {
    donors = new LoopbackDonors(dir, 2, HANDSHAKE_TIMEOUT);
    pool = donors.pool;
  }

  @AfterEach
  void stop() {
    donors.close();
  }

  @Test
  void aHungHolderCostsAFewTimeoutsNotOnePerBatch() throws Exception {
    List<String> reports = new ArrayList<>();
    BadHolderListener listener = (holder, id, why) -> {
      synchronized (reports) {
        reports.add(holder + " " + why.code());
      }
    };
    try (SilentPeer hung = new SilentPeer()) {
      Map<ContentId, byte[]> blobs = new HashMap<>();
      List<FetchRequest> requests = new ArrayList<>();
      Random random = new Random(19);
      for (int i = 0; i < BATCHES; i++) {
        byte[] blob = new byte[4096];
        random.nextBytes(blob);
        ContentId id = ContentId.of(blob);
        blobs.put(id, blob);
        donors.put(0, id, blob);
        donors.put(1, id, blob);
        // The hung holder is listed first, as a reader would list a live-looking holder.
        requests.add(new FetchRequest(id, blob.length, List.of(hung.address(),
            donors.address(0), donors.address(1))));
      }

      // One batch after the other, as the SQL runtime asks for them (fetchOne per batch), by
      // one session after the other over the shared pool.
      int fetched = 0;
      for (int from = 0; from < BATCHES; from += BATCHES_PER_SESSION) {
        try (FetchScheduler session = new FetchScheduler(pool, FetchOptions.defaults()
            .withCallTimeout(Duration.ofSeconds(10)), listener)) {
          for (FetchRequest request : requests.subList(from, from + BATCHES_PER_SESSION)) {
            assertArrayEquals(blobs.get(request.id()), session.fetchOne(request));
            fetched++;
          }
        }
      }
      assertEquals(BATCHES, fetched);
      assertTrue(hung.acceptedConnections() >= 1, "the hung holder was tried");
      assertTrue(hung.acceptedConnections() <= HANDSHAKES_MAX, "handshakes paid to the hung "
          + "holder: " + hung.acceptedConnections());
      System.out.println("handshakes paid to the hung holder in " + BATCHES + " batches: "
          + hung.acceptedConnections() + ", backoff windows "
          + pool.backoff().backoffsStarted() + ", refusals " + pool.backoff().refusals());
      assertTrue(pool.backoff().backoffsStarted() >= 1, "it was remembered as unresponsive");
      InetSocketAddress answering = donors.address(0);
      assertTrue(!pool.backoff().isBackedOff(answering), "the answering holders are not");
      synchronized (reports) {
        assertEquals(List.of(), reports, "a hung holder did not serve bad bytes");
      }
    }
  }

  @Test
  void theOnlyHolderIsStillAskedWhileBackingOffAndFailsFast() throws Exception {
    try (SilentPeer hung = new SilentPeer();
        FetchScheduler scheduler = new FetchScheduler(pool, FetchOptions.defaults(),
            (holder, id, why) -> { })) {
      ContentId id = ContentId.of(new byte[] {1, 2, 3});
      FetchRequest only = new FetchRequest(id, 3, List.of(hung.address()));
      assertEquals(dev.cairn.wire.ErrorCode.BUSY, org.junit.jupiter.api.Assertions.assertThrows(
          dev.cairn.wire.CairnException.class, () -> scheduler.fetchOne(only)).code());
      int paid = hung.acceptedConnections();
      for (int i = 0; i < 20; i++) {
        dev.cairn.wire.CairnException e = org.junit.jupiter.api.Assertions.assertThrows(
            dev.cairn.wire.CairnException.class, () -> scheduler.fetchOne(only));
        assertEquals(dev.cairn.wire.ErrorCode.BUSY, e.code());
        assertTrue(e.getMessage().contains("not asked again"), e.getMessage());
      }
      assertTrue(hung.acceptedConnections() <= paid + 1, "asked, failing fast, not waiting");
      assertTrue(scheduler.stats(hung.address()).backedOff() >= 1);
    }
  }
}
