package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.BatchRef;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;

/**
 * The batches of one cold table read, handed to DuckDB as they arrive: an Arrow stream that a
 * running query scans while later batches are still fetched, verified and loaded (the cold
 * overlap; {@link BatchLoader} decides whether a read gets one, and its jobs deliver each
 * decoded batch here, then load it into its own DuckDB table, so the cache fills exactly as
 * without it).
 *
 * <p>The stream ends once {@code expected} batches were delivered and read; a failed or
 * cancelled load fails it, so DuckDB's scan fails instead of ending early, and the query
 * reports the load's own error. Delivery waits while {@link #QUEUED_MAX} batches are queued
 * unread (memory stays bounded); once the query no longer reads ({@link #abandon}), deliveries
 * are freed at once.
 */
final class ArrivingBatches implements AutoCloseable {
  /** Record batches queued unread at most, before a load waits for DuckDB to read. */
  static final int QUEUED_MAX = 4;
  private static final AtomicLong STREAM_NUMBER = new AtomicLong();

  private final BufferAllocator allocator;
  private final Schema schema;
  private final int expected;
  private final CompletableFuture<Boolean> decision = new CompletableFuture<>();
  private final ArrayDeque<ArrowRecordBatch> queued = new ArrayDeque<>(); // guarded by this
  private int delivered; // batches, guarded by this
  private boolean abandoned; // guarded by this
  private CairnException failure; // guarded by this
  private ArrowArrayStream exported;

  /**
   * Creates the stream of {@code expected} batches whose decoded columns have {@code schema}
   * (as DuckDB is to see them).
   */
  ArrivingBatches(BufferAllocator allocator, Schema schema, int expected) {
    this.allocator = requireNonNull(allocator, "allocator");
    this.schema = requireNonNull(schema, "schema");
    this.expected = expected;
  }

  /**
   * Returns a stream for the batches of {@code need} if they can arrive to a query: at least
   * two (with one there is nothing to overlap), each listed once, and every one stored with the
   * table's own columns (so one Arrow schema fits all); else null.
   */
  static ArrivingBatches forNeed(BufferAllocator allocator, BatchLoader.Need need) {
    List<BatchRef> batches = need.batches();
    BatchColumns layout = need.layout();
    Set<ContentId> ids = new HashSet<>();
    for (BatchRef b : batches) {
      if (!ids.add(b.id()) || !layout.storedBy(b.id()).equals(layout.table())) {
        return null;
      }
    }
    if (batches.size() < 2) {
      return null;
    }
    BitSet own = layout.ownColumns(batches.get(0).id(), need.columns());
    if (own.isEmpty()) {
      return null;
    }
    return new ArrivingBatches(allocator, DuckDbArrowSchema.of(layout.table().project(
        own.stream().toArray())), batches.size());
  }

  /** Records whether the loader streams this read (every batch cold and loaded by it). */
  void decide(boolean streams) {
    decision.complete(streams);
  }

  /** Completes with the loader's decision; with false if the loader ends without one. */
  CompletableFuture<Boolean> decision() {
    return decision;
  }

  /**
   * Registers this stream with {@code connection} under a fresh name and returns the name (a
   * relation DuckDB scans: the driver makes it a temporary view of the connection over the
   * stream, which it can produce once), so a name is never reused.
   */
  String register(DuckDBConnection connection) {
    String name = "cairn_arriving_" + STREAM_NUMBER.incrementAndGet();
    exported = ArrowArrayStream.allocateNew(allocator);
    Data.exportArrayStream(allocator, new Reader(), exported);
    connection.registerArrowStream(name, exported);
    return name;
  }

  /**
   * Hands over the record batches of one decoded batch (they share its buffers, which the
   * caller may go on reading, e.g. to load them into the cache, and may close); each is freed
   * once read. An interrupt (the query's cancel) while waiting for room frees them instead,
   * and the stream is failed by the cancel itself.
   */
  void deliver(List<VectorSchemaRoot> roots) {
    List<ArrowRecordBatch> batches = new ArrayList<>(roots.size());
    for (VectorSchemaRoot root : roots) {
      batches.add(new VectorUnloader(root).getRecordBatch()); // takes its own references
    }
    synchronized (this) {
      while (!abandoned && failure == null && queued.size() >= QUEUED_MAX) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (!abandoned && failure == null && !Thread.currentThread().isInterrupted()) {
        queued.addAll(batches);
        delivered++;
        notifyAll();
        return;
      }
    }
    batches.forEach(ArrowRecordBatch::close); // nobody reads them any more
  }

  /** Fails the stream: DuckDB's next read fails with {@code error}'s message. */
  synchronized void fail(CairnException error) {
    if (failure == null) {
      failure = error;
    }
    notifyAll();
  }

  /** Ends reading: queued and later deliveries are freed; a later read fails. */
  void abandon() {
    synchronized (this) {
      abandoned = true;
      notifyAll();
    }
    freeQueued();
  }

  /** Returns how many batches were delivered. */
  synchronized int delivered() {
    return delivered;
  }

  private void freeQueued() {
    while (true) {
      ArrowRecordBatch batch;
      synchronized (this) {
        batch = queued.poll();
      }
      if (batch == null) {
        return;
      }
      batch.close();
    }
  }

  /** Returns the next record batch, or null at the end; waits for a delivery. */
  private ArrowRecordBatch next() throws IOException {
    synchronized (this) {
      while (true) {
        if (failure != null) {
          throw new IOException(failure.getMessage());
        }
        if (abandoned) {
          throw new IOException("the query stopped reading this table");
        }
        ArrowRecordBatch batch = queued.poll();
        if (batch != null) {
          notifyAll(); // a delivery may wait for room
          return batch;
        }
        if (delivered == expected) {
          return null;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for a batch", e);
        }
      }
    }
  }

  /** Frees what is queued and the exported stream; call once DuckDB no longer reads it. */
  @Override
  public void close() {
    abandon();
    if (exported != null) {
      exported.close();
      exported = null;
    }
  }

  /** The Arrow reader DuckDB pulls through the C stream interface, on its own threads. */
  private final class Reader extends ArrowReader {
    Reader() {
      super(ArrivingBatches.this.allocator);
    }

    @Override
    public boolean loadNextBatch() throws IOException {
      prepareLoadNextBatch();
      ArrowRecordBatch batch = next();
      if (batch == null) {
        return false;
      }
      try (batch) {
        loadRecordBatch(batch);
      }
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {
      // What is queued is freed by the owner (close), which outlives DuckDB's reads.
    }

    @Override
    protected Schema readSchema() {
      return schema;
    }
  }
}
