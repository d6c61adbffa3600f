package dev.cairn.calcite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.client.fetch.HolderDirectory;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchBuilder;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.EncodedBatch;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (found by the issue-19 soak): many queries loading one batch for different columns at
 * once is no sign of a small cache. A query that waits for other sessions' loads of a resident
 * batch more than four times in a row still loads its own columns; it used to give up with
 * "BUSY: batches were evicted while loading: the cache is too small" although nothing was
 * evicted (48 cold readers hit it in their first seconds, with a 256 MiB cache).
 */
class ConcurrentColumnLoadTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  /** More rounds of waiting than the old limit of four allowed. */
  private static final int OTHER_LOADS = 2 * (BatchLoader.EVICTIONS_MAX + 1);

  @TempDir Path dir;

  @Test
  void waitingForOtherColumnLoadsOfAResidentBatchIsNotEviction() throws Exception {
    TableSchema schema = new TableSchema(List.of(new Column("a", ColumnType.BIGINT, false),
        new Column("b", ColumnType.BIGINT, false)));
    EncodedBatch encoded;
    try (RootAllocator allocator = new RootAllocator();
        BatchBuilder builder = new BatchBuilder(schema, allocator)) {
      builder.addRow(1L, 2L);
      try (VectorSchemaRoot root = builder.build()) {
        encoded = new BatchEncoder(allocator).encode(schema, root);
      }
    }
    BatchRef batch = new BatchRef(encoded.id(), encoded.size(), encoded.rowCount(),
        encoded.chunkRoot(), encoded.columnStats());
    BlobSource source = (id, bytes, holders) -> encoded.bytes();
    Properties settings = new Properties();
    settings.setProperty(RuntimeConfig.CACHE_SIZE, "17MiB"); // a runtime of this test's own
    CairnRuntime runtime = CairnRuntime.create(RuntimeConfig.from(settings));

    try (runtime;
        LocalCluster cluster = LocalCluster.start(dir.resolve("c"), LocalCluster.Options.of(1));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()), TIMEOUT);
      BatchLoader first = new BatchLoader(runtime, source, new HolderDirectory(meta),
          new SessionCounters(), 2, new QueryCancel());
      first.ensureResident(BatchColumns.uniform(schema),
          RedundancyPolicy.replicas(1), List.of(batch), columns(0));
      first.unpinAll();

      // Other sessions, one after another, hold the batch's load (for their own columns)
      // while this query waits; each registers before the previous one finishes, as a busy
      // runtime's sessions do.
      CompletableFuture<Void> other = new CompletableFuture<>();
      runtime.loading.put(batch.id(), other);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      BatchLoader waiting = new BatchLoader(runtime, source, new HolderDirectory(meta),
          new SessionCounters(), 2, new QueryCancel());
      Thread query = new Thread(() -> {
        try {
          waiting.ensureResident(BatchColumns.uniform(schema),
              RedundancyPolicy.replicas(1), List.of(batch), columns(0, 1));
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      query.start();
      for (int i = 0; i < OTHER_LOADS; i++) {
        CompletableFuture<Void> current = other;
        Await.until(TIMEOUT, "the query waiting for another session's load",
            () -> current.getNumberOfDependents() > 0 || !query.isAlive());
        other = new CompletableFuture<>();
        runtime.loading.replace(batch.id(), current, other);
        current.complete(null);
      }
      CompletableFuture<Void> last = other;
      Await.until(TIMEOUT, "the query waiting for the last other load",
          () -> last.getNumberOfDependents() > 0 || !query.isAlive());
      runtime.loading.remove(batch.id(), last);
      last.complete(null);
      query.join(TIMEOUT.toMillis());

      assertNull(failure.get(), () -> "the query failed: " + failure.get());
      assertEquals(columns(0, 1), runtime.cache.pinIfResident(batch.id()),
          "the query loaded its own column");
      runtime.cache.unpin(List.of(batch.id()));
      waiting.unpinAll();
    }
  }

  private static BitSet columns(int... indexes) {
    BitSet set = new BitSet();
    for (int i : indexes) {
      set.set(i);
    }
    return set;
  }
}
