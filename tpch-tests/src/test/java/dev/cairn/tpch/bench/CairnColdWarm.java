package dev.cairn.tpch.bench;

import dev.cairn.calcite.runtime.BenchBridge;
import dev.cairn.calcite.runtime.CairnRuntime;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.CatalogSnapshot;
import dev.cairn.calcite.runtime.PreparedQuery;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.calcite.sql.QueryTranslator;
import dev.cairn.calcite.sql.TableUse;
import dev.cairn.calcite.sql.TranslatedQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/**
 * One TPC-H query through jdbc:cairn on a runtime of its own: first the cold run (a new
 * {@code cache.dir}, which is a new JVM-wide runtime, so an empty batch cache and an empty
 * embedded DuckDB, checked before the run and by the counters after it), then one run that
 * merges the version's resident batches (timed apart, as the peer's warm-up run is: each side's
 * one-time work is out of its warm median), then warm runs on the same connection, then where a
 * warm run's time goes: head snapshot (metadata round
 * trip), Calcite translation ({@link QueryTranslator} alone), and the translated statement run
 * directly on the driver's DuckDB (over the session's views: a version's merged table once the
 * merging run built it, see docs/decisions.md). The runtime is freed
 * afterwards so the next query starts cold too.
 */
final class CairnColdWarm {
  /** What one query measured; times in milliseconds (warm ones are medians). */
  record Result(double coldMs, double mergeMs, double warmMs, List<Double> warmRuns, long rows,
      long coldBytes,
      long coldBatches, long prunedBatches, double snapshotMs, double translateMs,
      double duckdbOverViewsMs, List<String> tables) { }

  static final String SETTINGS = "cache.size=16GiB&duckdb.memory_limit=8GiB";

  private final String metaHostPort;
  private final String schema;
  private final Path cacheRoot;
  private int runtimes;

  CairnColdWarm(String metaHostPort, String schema, Path cacheRoot) {
    this.metaHostPort = metaHostPort;
    this.schema = schema;
    this.cacheRoot = cacheRoot;
  }

  /** Returns a URL whose cache.dir is a new empty directory: a runtime nobody used yet. */
  String freshUrl() throws java.io.IOException {
    Path dir = Files.createDirectories(cacheRoot.resolve("cache-" + (++runtimes)));
    return "jdbc:cairn://" + metaHostPort + "/" + schema + "?" + SETTINGS + "&cache.dir=" + dir;
  }

  Result run(String sql, int warmRuns) throws Exception {
    try (Connection c = DriverManager.getConnection(freshUrl())) {
      CairnSession session = c.unwrap(CairnSession.class);
      CairnRuntime runtime = session.runtime();
      try {
        if (runtime.cache().residentCount() != 0 || session.counters().queries() != 0) {
          throw new IllegalStateException("the cold runtime is not empty");
        }
        QueryRuns.Run cold = QueryRuns.once(c, sql, 0);
        SessionCounters counters = session.counters();
        if (counters.diskBatches() != 0) {
          throw new IllegalStateException("the cold run read batches from disk");
        }
        long bytes = counters.fetchedBytes();
        long batches = counters.fetchedBatches();
        long pruned = counters.prunedBatches();
        QueryRuns.Run merging = QueryRuns.once(c, sql, 0);
        List<Double> warm = QueryRuns.times(c, sql, warmRuns);
        if (counters.fetchedBatches() != batches) {
          throw new IllegalStateException("a warm run fetched batches");
        }
        return profile(session, sql, warmRuns, cold, merging.millis(), warm, bytes, batches,
            pruned);
      } finally {
        c.close();
        BenchBridge.release(runtime);
      }
    }
  }

  private Result profile(CairnSession session, String sql, int runs, QueryRuns.Run cold,
      double mergeMs, List<Double> warm, long bytes, long batches, long pruned)
      throws Exception {
    QueryTranslator translator = new QueryTranslator();
    List<Double> snapshotMs = new ArrayList<>();
    List<Double> translateMs = new ArrayList<>();
    List<Double> duckdbMs = new ArrayList<>();
    TranslatedQuery translated = null;
    String overViews;
    try (PreparedQuery query = session.query(sql)) {
      session.execute(query, statement -> { }).close();
      overViews = query.lastDuckdbSql();
    }
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      CatalogSnapshot snapshot = session.snapshot();
      snapshotMs.add(Stats.millisSince(start));
      start = System.nanoTime();
      translated = translator.translate(sql, snapshot, schema);
      translateMs.add(Stats.millisSince(start));
      duckdbMs.add(QueryRuns.once(session.duckdb(), overViews, 0).millis());
    }
    List<String> tables = translated.tables().stream().filter(t -> !t.system())
        .map(TableUse::table).distinct().toList();
    return new Result(cold.millis(), mergeMs, Stats.median(warm), warm, cold.rows(), bytes,
        batches,
        pruned, Stats.median(snapshotMs), Stats.median(translateMs), Stats.median(duckdbMs),
        tables);
  }

  /** Returns the tables {@code sql} reads (translation only; loads nothing). */
  List<String> tablesOf(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(freshUrl())) {
      CairnSession session = c.unwrap(CairnSession.class);
      CairnRuntime runtime = session.runtime();
      try {
        return new QueryTranslator().translate(sql, session.snapshot(), schema).tables()
            .stream().filter(t -> !t.system()).map(TableUse::table).distinct().toList();
      } finally {
        c.close();
        BenchBridge.release(runtime);
      }
    }
  }
}
