package dev.cairn.calcite.runtime;

import dev.cairn.wire.TableSchema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Benchmark-only access to the driver runtime (test sources of tpch-tests, same package name):
 * freeing a runtime's embedded DuckDB once a cold-cache measurement is done, and the reader
 * that hands decoded batches to DuckDB, so the naive path loads exactly as the driver does.
 */
public final class BenchBridge {
  private BenchBridge() {}

  /**
   * Frees what {@code runtime} holds: its DuckDB database (every cached batch), load threads
   * and network connections. A shared runtime already closed with its last connection; this
   * makes sure (closing twice changes nothing).
   */
  public static void release(CairnRuntime runtime) {
    runtime.close();
  }

  /** Returns a reader presenting {@code roots} (still owned by the caller) as one stream. */
  public static ArrowReader rootsReader(BufferAllocator allocator, TableSchema schema,
      List<VectorSchemaRoot> roots) {
    return new ArrowRootsReader(allocator, schema.toArrow(), roots);
  }
}
