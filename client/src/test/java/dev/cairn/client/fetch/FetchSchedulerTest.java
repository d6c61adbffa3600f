package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.NodeClient;
import dev.cairn.cluster.Await;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch scheduler against real storage servers on loopback, and against protocol fixtures
 * that lie, or answer late: spread, verification, failover, hedging, back-pressure, cancel.
 */
class FetchSchedulerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long WAIT_MS = 10_000;

  @TempDir
  Path dir;

  private final ConnectionPool pool = new ConnectionPool(TIMEOUT);
  private final SigningKey writer = SigningKey.generate(new SecureRandom());
  private final List<StorageServer> servers = new ArrayList<>();
  private final List<MisbehavingNode> fixtures = new ArrayList<>();
  private final List<String> reports = new ArrayList<>();
  private final Map<ContentId, byte[]> blobs = new HashMap<>();
  private FetchScheduler scheduler;

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    pool.close();
    servers.forEach(StorageServer::close);
    fixtures.forEach(MisbehavingNode::close);
  }

  /**
   * Three fetches at once with at most one per holder must use all three holders: the cap, not
   * the timing, spreads them. Hedging is off, so no holder's fetch is taken over by another.
   * (Asserting shares of the bytes instead failed on a loaded machine: who is faster there is
   * chance.)
   */
  @Test
  void thePerHolderCapSpreadsConcurrentFetchesOverEveryHolder() {
    startServers(3);
    List<FetchRequest> requests = makeBlobs(30, 256 * 1024, servers);
    scheduler = scheduler(FetchOptions.defaults().withParallelism(3, 1).withHedging(2.0, 0),
        1 << 20);
    List<FetchedBlob> fetched = drain(scheduler.fetchAll(requests, 16));
    assertAllVerified(requests, fetched);
    for (StorageServer server : servers) {
      HolderStats stats = scheduler.stats(server.address());
      assertTrue(stats.fetchesWon() >= 1, "server " + server.address() + " was asked: " + stats);
      assertTrue(server.servedBytes() >= 256 * 1024, "and served a whole blob: " + stats);
    }
    assertEquals(requests.size(), scheduler.stats().stream()
        .mapToLong(HolderStats::fetchesWon).sum(), "every blob fetched once");
    assertTrue(reports.isEmpty(), reports.toString());
  }

  @Test
  void bytesNotMatchingTheIdAreReportedAndFetchedElsewhere() throws Exception {
    startServers(1);
    MisbehavingNode liar = fixture(MisbehavingNode.Mode.FLIP_BYTES, 0);
    List<FetchRequest> requests = makeBlobs(6, 10_000, List.of());
    requests = withHolders(requests, liar, liar.address(), servers.get(0).address());
    scheduler = scheduler(FetchOptions.defaults(), 1 << 20);
    List<FetchedBlob> fetched = drain(scheduler.fetchAll(requests, 8));
    assertAllVerified(requests, fetched);
    fetched.forEach(blob -> assertEquals(servers.get(0).address(), blob.servedBy()));
    assertTrue(liar.getRequests() > 0, "the liar was never asked");
    assertTrue(reports.contains(liar.address() + " BAD_HASH"), reports.toString());
    assertTrue(scheduler.stats(liar.address()).lies() > 0);
    assertEquals(0, scheduler.stats(servers.get(0).address()).failures());
  }

  @Test
  void aHolderAnnouncingAnotherSizeIsALiar() throws Exception {
    startServers(1);
    MisbehavingNode liar = fixture(MisbehavingNode.Mode.WRONG_SIZE, 0);
    List<FetchRequest> requests = makeBlobs(4, 10_000, List.of());
    requests = withHolders(requests, liar, liar.address(), servers.get(0).address());
    scheduler = scheduler(FetchOptions.defaults(), 1 << 20);
    assertAllVerified(requests, drain(scheduler.fetchAll(requests, 8)));
    assertTrue(reports.contains(liar.address() + " BAD_HASH"), reports.toString());
  }

  @Test
  void aDeadHolderIsFailedOverAndAMissingBlobIsNamed() {
    startServers(2);
    InetSocketAddress dead = servers.get(0).address();
    List<FetchRequest> requests = makeBlobs(10, 20_000, servers);
    servers.get(0).close();
    scheduler = scheduler(FetchOptions.defaults(), 1 << 20);
    List<FetchedBlob> fetched = drain(scheduler.fetchAll(requests, 8));
    assertAllVerified(requests, fetched);
    fetched.forEach(blob -> assertEquals(servers.get(1).address(), blob.servedBy()));

    ContentId nowhere = ContentId.of(new byte[] {42});
    FetchRequest missing = new FetchRequest(nowhere, 1, List.of(dead, servers.get(1).address()));
    CairnException e = assertThrows(CairnException.class, () -> scheduler.fetchOne(missing));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains(nowhere.toShortHex()), e.getMessage());
    assertTrue(e.getMessage().contains(":" + dead.getPort() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(":" + servers.get(1).address().getPort() + ": NOT_FOUND"),
        e.getMessage());
  }

  @Test
  void aSlowHolderIsHedgedAndAnotherServes() throws Exception {
    startServers(1);
    // It answers only after the test is over, so the fast holder wins whatever the load.
    MisbehavingNode slow = fixture(MisbehavingNode.Mode.DELAY, 120_000);
    InetSocketAddress fast = servers.get(0).address();
    List<FetchRequest> requests = makeBlobs(8, 64 * 1024, servers);
    requests = withHolders(requests, slow, slow.address(), fast);
    scheduler = scheduler(FetchOptions.defaults().withParallelism(4, 2).withHedging(2.0, 4),
        1 << 20);
    List<FetchedBlob> fetched = drain(scheduler.fetchAll(requests, 8));
    assertAllVerified(requests, fetched);
    assertTrue(slow.getRequests() > 0, "the slow holder was never asked");
    fetched.forEach(blob -> assertEquals(fast, blob.servedBy()));
    assertTrue(scheduler.hedgesStarted() >= 1);
    assertTrue(scheduler.hedgesWon() >= 1);
    assertTrue(scheduler.stats(fast).hedgesSent() >= 1);
    assertEquals(0, scheduler.stats(slow.address()).fetchesWon());
  }

  @Test
  void unreadResultsAreBoundedAndThenAllArrive() throws Exception {
    startServers(2);
    List<FetchRequest> requests = makeBlobs(10, 50_000, servers);
    scheduler = scheduler(FetchOptions.defaults(), 1 << 20);
    try (FetchStream stream = scheduler.fetchAll(requests, 2)) {
      await(() -> stream.waitingResults() == 2);
      Thread.sleep(200); // give a wrongly started fetch the chance to show up
      assertEquals(2, stream.waitingResults());
      assertEquals(2, stream.fetchesStarted());
      assertEquals(0, stream.attemptsInFlight());
      assertAllVerified(requests, drain(stream));
    }
  }

  @Test
  void cancelStopsTheRemainingFetches() throws Exception {
    startServers(2);
    List<FetchRequest> requests = makeBlobs(30, 50_000, servers);
    scheduler = scheduler(FetchOptions.defaults(), 1 << 20);
    FetchStream stream = scheduler.fetchAll(requests, 4);
    FetchedBlob first = stream.next();
    assertArrayEquals(blobs.get(first.id()), first.verifiedBytes());
    stream.cancel();
    int started = stream.fetchesStarted();
    assertFalse(stream.hasNext());
    assertTrue(started < 30, "started " + started);
    assertEquals(0, stream.attemptsInFlight());
    Thread.sleep(200);
    assertEquals(started, stream.fetchesStarted());
    scheduler.stats().forEach(holder -> assertEquals(0, holder.inFlight()));
  }

  @Test
  void largeBlobsAreReadInRangesAndOversizeRequestsRefused() {
    startServers(1);
    List<FetchRequest> requests = makeBlobs(1, 100_000, servers);
    scheduler = scheduler(FetchOptions.defaults().withBlobBytesMax(200_000), 7_000);
    assertArrayEquals(blobs.get(requests.get(0).id()), scheduler.fetchOne(requests.get(0)));
    FetchRequest huge = new FetchRequest(requests.get(0).id(), 300_000,
        requests.get(0).holders());
    CairnException e = assertThrows(CairnException.class, () -> scheduler.fetchOne(huge));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  // ---- helpers ----

  private FetchScheduler scheduler(FetchOptions options, int rangeBytes) {
    return new FetchScheduler(pool, options.withCallTimeout(TIMEOUT), (holder, id, why) -> {
      synchronized (reports) {
        reports.add(holder + " " + why.code());
      }
    }, rangeBytes);
  }

  private void startServers(int count) {
    for (int i = 0; i < count; i++) {
      servers.add(StorageServer.start(StorageServerConfig.defaults(dir.resolve("node" + i))
          .withListen("127.0.0.1", 0)));
    }
  }

  private MisbehavingNode fixture(MisbehavingNode.Mode mode, long delayMs) throws Exception {
    MisbehavingNode node = new MisbehavingNode(mode, delayMs);
    fixtures.add(node);
    return node;
  }

  /** Makes random blobs, stores each on every one of {@code on}, and returns requests. */
  private List<FetchRequest> makeBlobs(int count, int bytes, List<StorageServer> on) {
    Random random = new Random(count * 31L + bytes);
    List<InetSocketAddress> holders = on.stream().map(StorageServer::address).toList();
    List<FetchRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] blob = new byte[bytes];
      random.nextBytes(blob);
      ContentId id = ContentId.of(blob);
      blobs.put(id, blob);
      for (InetSocketAddress holder : holders) {
        new NodeClient(pool, holder, null, TIMEOUT).put(id, blob, writer);
      }
      requests.add(new FetchRequest(id, bytes, holders));
    }
    return requests;
  }

  /** Gives the fixture every blob and lists {@code holders} (in that order) for each. */
  private List<FetchRequest> withHolders(List<FetchRequest> requests, MisbehavingNode fixture,
      InetSocketAddress... holders) {
    List<FetchRequest> changed = new ArrayList<>();
    for (FetchRequest request : requests) {
      fixture.store(request.id(), blobs.get(request.id()));
      for (StorageServer server : servers) {
        new NodeClient(pool, server.address(), null, TIMEOUT).put(request.id(),
            blobs.get(request.id()), writer);
      }
      changed.add(new FetchRequest(request.id(), request.expectedBytes(), List.of(holders)));
    }
    return changed;
  }

  private static List<FetchedBlob> drain(FetchStream stream) {
    List<FetchedBlob> all = new ArrayList<>();
    while (stream.hasNext()) {
      all.add(stream.next());
    }
    return all;
  }

  private void assertAllVerified(List<FetchRequest> requests, List<FetchedBlob> fetched) {
    assertEquals(requests.size(), fetched.size());
    assertEquals(requests.stream().map(FetchRequest::id).distinct().count(),
        fetched.stream().map(FetchedBlob::id).distinct().count());
    for (FetchedBlob blob : fetched) {
      assertArrayEquals(blobs.get(blob.id()), blob.verifiedBytes());
    }
  }

  private static void await(BooleanSupplier condition) {
    Await.until(Duration.ofMillis(WAIT_MS), "the condition", condition);
  }
}
