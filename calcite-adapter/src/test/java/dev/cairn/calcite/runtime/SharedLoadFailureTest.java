package dev.cairn.calcite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.fetch.HolderDirectory;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchBuilder;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.EncodedBatch;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goals (found by the soak): a query that waits for another query's load of a batch, and that
 * load fails because no holder served it, tries the batch once itself, since the other load
 * asked the holders before this query began and they may be back; if its own try fails too,
 * it fails with that named error. It used to retry, lose the race to the next loader a few
 * times, and report "BUSY: batches were evicted while loading: the cache is too small", which
 * sent users after the wrong setting; and then, for a while, to take the other load's error
 * at once, so a query begun after an outage ended failed with the outage's error.
 */
class SharedLoadFailureTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final TableSchema SCHEMA = new TableSchema(List.of(new Column("id",
      ColumnType.BIGINT, false)));
  private static final BitSet COLUMNS = BitSet.valueOf(new long[] {1}); // column 0

  @TempDir Path dir;

  @Test
  void aQueryWaitingForAFailedLoadTriesOnceItselfThenGetsItsNamedErrorNotBusy()
      throws Exception {
    byte[] blob = new byte[4096];
    ContentId id = ContentId.of(blob);
    BatchRef batch = batchOf(blob);
    CairnRuntime runtime = runtimeOfItsOwn("13MiB");

    try (runtime) {
      // Every fetch fails as if no holder answered.
      Race race = raceForOneLoad(runtime, batch, (number, blobId) -> {
        throw new CairnException(ErrorCode.IO_ERROR, "no holder served blob "
            + blobId.toShortHex() + " intact; every holder refused");
      });

      assertEquals(ErrorCode.IO_ERROR, codeOf(race.first()));
      assertEquals(ErrorCode.IO_ERROR, codeOf(race.second()), String.valueOf(race.second()));
      assertTrue(race.second().getMessage().contains("no holder served blob "
          + id.toShortHex()) && !race.second().getMessage().contains("another query"),
          "its own try's error: " + race.second().getMessage());
      assertEquals(2, race.fetches(), "the waiting query tried once itself");
      assertTrue(runtime.loading.isEmpty(), "no load is left registered");
    }
  }

  @Test
  void aQueryWaitingForALoadThatFailedBeforeTheHoldersCameBackLoadsTheBatch()
      throws Exception {
    EncodedBatch encoded;
    try (RootAllocator allocator = new RootAllocator();
        BatchBuilder builder = new BatchBuilder(SCHEMA, allocator)) {
      builder.addRow(7L);
      try (VectorSchemaRoot root = builder.build()) {
        encoded = new BatchEncoder(allocator).encode(SCHEMA, root);
      }
    }
    BatchRef batch = new BatchRef(encoded.id(), encoded.size(), encoded.rowCount(),
        encoded.chunkRoot(), encoded.columnStats());
    CairnRuntime runtime = runtimeOfItsOwn("15MiB");

    try (runtime) {
      // The first fetch finds every holder down; by the time the waiting query asks, they are
      // back.
      Race race = raceForOneLoad(runtime, batch, (number, blobId) -> {
        if (number == 1) {
          throw new CairnException(ErrorCode.IO_ERROR, "no holder served blob "
              + blobId.toShortHex() + " intact; every holder refused");
        }
        return encoded.bytes();
      });

      assertEquals(ErrorCode.IO_ERROR, codeOf(race.first()));
      assertNull(race.second(), () -> "the waiting query failed: " + race.second());
      assertEquals(COLUMNS, runtime.cache.pinIfResident(batch.id()), "the batch is resident");
      runtime.cache.unpin(List.of(batch.id()));
      assertEquals(2, race.fetches());
      assertTrue(runtime.loading.isEmpty(), "no load is left registered");
    }
  }

  @Test
  void aQueryWaitingForABatchTheOtherLoadNeverTriedLoadsItItself() throws Exception {
    BatchRef first = batchOf(new byte[4096]);
    BatchRef second = batchOf(new byte[4097]);
    CairnRuntime runtime = runtimeOfItsOwn("14MiB");

    CountDownLatch release = new CountDownLatch(1);
    List<ContentId> fetched = new java.util.concurrent.CopyOnWriteArrayList<>();
    BlobSource failing = (blobId, bytes, holders) -> {
      fetched.add(blobId);
      if (blobId.equals(first.id())) {
        try {
          release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      throw new CairnException(ErrorCode.IO_ERROR, "no holder served blob "
          + blobId.toShortHex() + " intact");
    };

    try (runtime;
        LocalCluster cluster = LocalCluster.start(dir.resolve("c"), LocalCluster.Options.of(1));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      MetaClient meta = new MetaClient(pool, List.<InetSocketAddress>of(cluster.metaAddress()),
          TIMEOUT);
      AtomicReference<Throwable> ownerFailure = new AtomicReference<>();
      AtomicReference<Throwable> waiterFailure = new AtomicReference<>();
      // One load at a time: the owner tries the first batch, fails, and never tries the second.
      Thread owner = load(runtime, failing, meta, SCHEMA, List.of(first, second), COLUMNS,
          ownerFailure, 1);
      Await.until(TIMEOUT, "the first query fetching", () -> fetched.size() == 1);
      Thread waiter = load(runtime, failing, meta, SCHEMA, List.of(second), COLUMNS,
          waiterFailure, 1);
      Await.until(TIMEOUT, "the second query waiting for the first one's load",
          () -> waiter.getState() == Thread.State.WAITING);
      release.countDown();
      owner.join(TIMEOUT.toMillis());
      waiter.join(TIMEOUT.toMillis());

      assertTrue(ownerFailure.get().getMessage().contains(first.id().toShortHex()),
          String.valueOf(ownerFailure.get()));
      assertEquals(ErrorCode.IO_ERROR, codeOf(waiterFailure.get()));
      assertTrue(waiterFailure.get().getMessage().contains(second.id().toShortHex())
          && !waiterFailure.get().getMessage().contains("another query"),
          "its own try, not the other batch's failure: " + waiterFailure.get().getMessage());
      assertEquals(List.of(first.id(), second.id()), fetched, "each batch tried once");
      assertTrue(runtime.loading.isEmpty(), "no load is left registered");
    }
  }

  /** A fetch the test decides by its number in the race (1: the first query's). */
  private interface NumberedFetch {
    byte[] fetch(int number, ContentId id);
  }

  /** How the two queries of {@link #raceForOneLoad} ended, and how many fetches they made. */
  private record Race(Throwable first, Throwable second, int fetches) { }

  /**
   * Starts a query loading {@code batch}, holds its first fetch until a second query loading
   * the same batch waits for it, then lets both finish; every fetch is {@code fetch}'s.
   */
  private Race raceForOneLoad(CairnRuntime runtime, BatchRef batch, NumberedFetch fetch)
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger fetches = new AtomicInteger();
    BlobSource source = (blobId, bytes, holders) -> {
      int number = fetches.incrementAndGet();
      if (number == 1) {
        try {
          release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return fetch.fetch(number, blobId);
    };
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), LocalCluster.Options.of(1));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      MetaClient meta = new MetaClient(pool, List.<InetSocketAddress>of(cluster.metaAddress()),
          TIMEOUT);
      AtomicReference<Throwable> first = new AtomicReference<>();
      AtomicReference<Throwable> second = new AtomicReference<>();
      Thread owner = load(runtime, source, meta, SCHEMA, batch, COLUMNS, first);
      Await.until(TIMEOUT, "the first query fetching", () -> fetches.get() == 1);
      Thread waiter = load(runtime, source, meta, SCHEMA, batch, COLUMNS, second);
      Await.until(TIMEOUT, "the second query waiting for the first one's load",
          () -> waiter.getState() == Thread.State.WAITING);
      release.countDown();
      owner.join(TIMEOUT.toMillis());
      waiter.join(TIMEOUT.toMillis());
      return new Race(first.get(), second.get(), fetches.get());
    }
  }

  /** A runtime of this test's own: no other test's runtime has this cache size. */
  private static CairnRuntime runtimeOfItsOwn(String cacheSize) {
    Properties settings = new Properties();
    settings.setProperty(RuntimeConfig.CACHE_SIZE, cacheSize);
    return CairnRuntime.create(RuntimeConfig.from(settings));
  }

  private static BatchRef batchOf(byte[] blob) {
    return new BatchRef(ContentId.of(blob), blob.length, 1, ChunkTree.root(blob),
        List.of(new ColumnStats(0, 1L, 1L)));
  }

  private static Thread load(CairnRuntime runtime, BlobSource source, MetaClient meta,
      TableSchema schema, BatchRef batch, BitSet columns, AtomicReference<Throwable> failure) {
    return load(runtime, source, meta, schema, List.of(batch), columns, failure, 2);
  }

  private static Thread load(CairnRuntime runtime, BlobSource source, MetaClient meta,
      TableSchema schema, List<BatchRef> batches, BitSet columns,
      AtomicReference<Throwable> failure, int parallelism) {
    Thread thread = new Thread(() -> {
      BatchLoader loader = new BatchLoader(runtime, source, new HolderDirectory(meta),
          new SessionCounters(), parallelism, new QueryCancel());
      try {
        loader.ensureResident(BatchColumns.uniform(schema),
            RedundancyPolicy.replicas(1), batches, columns);
      } catch (Throwable e) {
        failure.set(e);
      } finally {
        loader.unpinAll();
      }
    });
    thread.start();
    return thread;
  }

  private static ErrorCode codeOf(Throwable failure) {
    return assertInstanceOf(CairnException.class, failure, String.valueOf(failure)).code();
  }
}
