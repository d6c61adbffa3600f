package dev.cairn.tpch.bench;

import dev.cairn.calcite.runtime.BenchBridge;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.DecodedBatch;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;

/**
 * Loads verified batch blobs into one ordinary DuckDB table through Arrow's C stream
 * interface: the naive path's load (one table per TPC-H table, not the driver's table per
 * batch and views).
 */
final class ArrowLoad {
  private static final AtomicLong STREAM_NUMBER = new AtomicLong();

  private ArrowLoad() {}

  /** Creates {@code table} with its TPC-H types and appends every blob of {@code downloaded}. */
  static void load(DuckDBConnection duckdb, BufferAllocator allocator, TpchTable table,
      DonorDownload.Table downloaded) throws SQLException {
    try (Statement s = duckdb.createStatement()) {
      s.execute(table.createTableSql());
    }
    for (byte[] blob : downloaded.blobs()) {
      try (DecodedBatch decoded = BatchDecoder.decode(blob, downloaded.manifest().schema(),
          allocator)) {
        append(duckdb, allocator, table.tableName(), downloaded.manifest().schema(), decoded);
      }
    }
  }

  /** Appends one decoded batch to {@code tableName}. */
  static void append(DuckDBConnection duckdb, BufferAllocator allocator, String tableName,
      TableSchema schema, DecodedBatch decoded) throws SQLException {
    // DuckDB keeps stream names for the life of the database: every append gets a new one.
    String stream = "naive_arrow_" + STREAM_NUMBER.incrementAndGet();
    try (ArrowArrayStream out = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, BenchBridge.rootsReader(allocator, schema,
          decoded.roots()), out);
      duckdb.registerArrowStream(stream, out);
      try (Statement s = duckdb.createStatement()) {
        s.execute("INSERT INTO " + tableName + " SELECT * FROM " + stream);
      }
    }
  }
}
