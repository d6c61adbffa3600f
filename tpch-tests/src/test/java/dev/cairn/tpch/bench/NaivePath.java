package dev.cairn.tpch.bench;

import dev.cairn.tpchdata.TpchTable;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;

/**
 * The cold path without Cairn's driver: download every table a query touches, whole, from
 * the donors (verified), then decode and load them into a fresh in-memory DuckDB, then run the
 * query text. Download, load and query are timed apart.
 */
final class NaivePath {
  /** Milliseconds of each step and the blob bytes downloaded. */
  record Result(double downloadMs, double loadMs, double queryMs, long bytes, long rows) {
    double totalMs() {
      return downloadMs + loadMs + queryMs;
    }
  }

  private final DonorDownload download;
  private final BufferAllocator allocator;
  private final String schema;
  private final int duckdbThreads;

  NaivePath(DonorDownload download, BufferAllocator allocator, String schema,
      int duckdbThreads) {
    this.download = download;
    this.allocator = allocator;
    this.schema = schema;
    this.duckdbThreads = duckdbThreads;
  }

  Result run(String sql, List<String> tables) throws Exception {
    long start = System.nanoTime();
    List<DonorDownload.Table> downloaded = new ArrayList<>();
    for (String table : tables) {
      downloaded.add(download.download(schema, table));
    }
    double downloadMs = Stats.millisSince(start);
    long bytes = downloaded.stream().mapToLong(DonorDownload.Table::bytes).sum();
    Properties properties = new Properties();
    properties.setProperty("threads", Integer.toString(duckdbThreads));
    try (DuckDBConnection duckdb = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:",
        properties)) {
      start = System.nanoTime();
      for (int i = 0; i < tables.size(); i++) {
        ArrowLoad.load(duckdb, allocator, TpchTable.byName(tables.get(i)), downloaded.get(i));
      }
      downloaded.clear();
      double loadMs = Stats.millisSince(start);
      QueryRuns.Run query = QueryRuns.once(duckdb, sql, 0);
      return new Result(downloadMs, loadMs, query.millis(), bytes, query.rows());
    }
  }
}
