package dev.cairn.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.FakeStorageNode;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetching verified blobs from holders that fail, lie, or answer in small ranges. */
class BlobFetcherTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private FakeStorageNode liar;
  private FakeStorageNode honest;
  private ConnectionPool pool;
  private final List<InetSocketAddress> reported = new ArrayList<>();
  private BlobFetcher fetcher;
  private final byte[] blob = new byte[100_000];
  private ContentId id;

  @BeforeEach
  void start() throws Exception {
    new Random(7).nextBytes(blob);
    id = ContentId.of(blob);
    liar = new FakeStorageNode(1L << 30);
    honest = new FakeStorageNode(1L << 30);
    liar.store(id, blob);
    honest.store(id, blob);
    liar.corrupt(true);
    pool = new ConnectionPool(TIMEOUT);
    fetcher = new BlobFetcher(pool, TIMEOUT, 1 << 20, (holder, blobId, why) -> {
      synchronized (reported) {
        reported.add(holder);
      }
    });
  }

  @AfterEach
  void stop() {
    pool.close();
    liar.close();
    honest.close();
  }

  @Test
  void badBytesAreReportedAndTheNextHolderServes() {
    byte[] fetched = fetcher.fetch(id, List.of(liar.address(), honest.address()));
    assertArrayEquals(blob, fetched);
    assertEquals(List.of(liar.address()), reported);
  }

  @Test
  void largeBlobsAreReadInRanges() {
    honest.rangeBytesMax(7_000);
    assertArrayEquals(blob, fetcher.fetch(id, List.of(honest.address())));
  }

  @Test
  void missingAndDeadHoldersFailOverAndAllFailingIsNamed() {
    InetSocketAddress dead = liar.address();
    liar.close();
    ContentId other = ContentId.of(new byte[] {1});
    assertArrayEquals(blob, fetcher.fetch(id, List.of(dead, honest.address())));
    CairnException e = assertThrows(CairnException.class,
        () -> fetcher.fetch(other, List.of(dead, honest.address())));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains(other.toShortHex()), e.getMessage());
  }

  @Test
  void anAnnouncedSizeOverTheBoundIsRefused() {
    BlobFetcher small = new BlobFetcher(pool, TIMEOUT, 1000, (h, b, w) -> { });
    CairnException e = assertThrows(CairnException.class,
        () -> small.fetch(id, List.of(honest.address())));
    assertTrue(e.getMessage().contains("more than the 1000 allowed"), e.getMessage());
  }
}
