package dev.cairn.tpch.bench;

import dev.cairn.calcite.runtime.BenchBridge;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.PreparedQuery;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a warm query's fixed cost goes, from the session's own phase timers ({@link
 * SessionCounters#planNanos} and the others): for each query named, after a cold and a first
 * warm run (which merges), {@code --runs} warm runs through jdbc:cairn, each split into plan
 * (snapshot, translation or its re-use, checks), tables (pruning, pinning, merged tables,
 * views), DuckDB (prepare and execute) and release, the rest being JDBC and reading the rows;
 * the time of the head requests within plan; the generated SQL run directly on the session's
 * DuckDB over its views and DuckDB native on the same data, interleaved with them. Medians. Run on demand, never in CI.
 *
 * <p>Arguments: {@code --scale SF} (1), {@code --runs N} (9), {@code --fresh} (each query on a
 * new runtime with an empty cache, as {@code TpchBenchmark} runs it, instead of one connection
 * for all), {@code --each} (also print every warm run's split, not only the medians), then the
 * query numbers (default 14 5 8).
 */
public final class WarmPhases {
  private WarmPhases() {}

  public static void main(String[] args) throws Exception {
    double scale = 1;
    int runs = 9;
    boolean fresh = false;
    boolean each = false;
    List<Integer> queries = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--fresh" -> fresh = true;
        case "--each" -> each = true;
        default -> queries.add(Integer.parseInt(args[i]));
      }
    }
    if (queries.isEmpty()) {
      queries = List.of(14, 5, 8);
    }
    try (PublishedTpch tpch = PublishedTpch.start("cairn-warm-phases", scale);
        Connection reference = TpchBenchmark.duckdb();
        Connection cairn = DriverManager.getConnection(tpch.freshUrl())) {
      TpchGenerator.loadInto(reference, scale);
      CairnSession session = cairn.unwrap(CairnSession.class);
      for (int q : queries) {
        if (!fresh) {
          measure(q, runs, each, session, cairn, reference);
          continue;
        }
        try (Connection own = DriverManager.getConnection(tpch.freshUrl())) {
          CairnSession ownSession = own.unwrap(CairnSession.class);
          measure(q, runs, each, ownSession, own, reference);
          own.close();
          BenchBridge.release(ownSession.runtime());
        }
      }
      cairn.close();
      BenchBridge.release(session.runtime());
    }
  }

  private static void measure(int q, int runs, boolean each, CairnSession session,
      Connection cairn, Connection reference) throws Exception {
    String sql = TpchQueries.text(q);
    QueryRuns.once(cairn, sql, 0); // cold
    QueryRuns.once(cairn, sql, 0); // first warm: merges
    QueryRuns.once(reference, sql, 0);
    SessionCounters c = session.counters();
    List<Double> total = new ArrayList<>();
    List<Double> plan = new ArrayList<>();
    List<Double> tables = new ArrayList<>();
    List<Double> duckdb = new ArrayList<>();
    List<Double> release = new ArrayList<>();
    List<Double> rest = new ArrayList<>();
    List<Double> nativeMs = new ArrayList<>();
    List<Double> heads = new ArrayList<>();
    List<Double> overViews = new ArrayList<>();
    // With --each the first measured run is the first after the merge, as in TpchBenchmark,
    // so the generated SQL is read after it.
    String generated = each ? null : generatedSql(session, sql);
    long translations = c.translations();
    for (int i = 0; i < runs; i++) {
      long p = c.planNanos();
      long t = c.tablesNanos();
      long d = c.duckdbNanos();
      long r = c.releaseNanos();
      long h = c.headRequestNanos();
      double ms = QueryRuns.once(cairn, sql, 0).millis();
      double pm = (c.planNanos() - p) / 1e6;
      double tm = (c.tablesNanos() - t) / 1e6;
      double dm = (c.duckdbNanos() - d) / 1e6;
      double rm = (c.releaseNanos() - r) / 1e6;
      total.add(ms);
      plan.add(pm);
      tables.add(tm);
      duckdb.add(dm);
      release.add(rm);
      rest.add(ms - pm - tm - dm - rm);
      heads.add((c.headRequestNanos() - h) / 1e6);
      nativeMs.add(QueryRuns.once(reference, sql, 0).millis());
      if (generated == null) {
        generated = generatedSql(session, sql);
      }
      overViews.add(QueryRuns.once(session.duckdb(), generated, 0).millis());
      if (each) {
        System.out.printf(Locale.ROOT, "Q%02d run %d: %s = plan %s (heads %s) + tables %s"
            + " + duckdb %s + release %s + rest %s | over views %s | native %s%n", q, i + 1,
            Stats.ms(ms), Stats.ms(pm), Stats.ms(heads.get(i)), Stats.ms(tm), Stats.ms(dm),
            Stats.ms(rm), Stats.ms(rest.get(i)), Stats.ms(overViews.get(i)),
            Stats.ms(nativeMs.get(i)));
      }
    }
    System.out.printf(Locale.ROOT, "Q%02d warm %s = plan %s + tables %s + duckdb %s + release %s"
        + " + rest %s | of plan: head requests %s | generated SQL over views %s | native %s"
        + " | ratio %s | translations in warm runs %d%n", q,
        Stats.ms(Stats.median(total)), Stats.ms(Stats.median(plan)),
        Stats.ms(Stats.median(tables)), Stats.ms(Stats.median(duckdb)),
        Stats.ms(Stats.median(release)), Stats.ms(Stats.median(rest)),
        Stats.ms(Stats.median(heads)), Stats.ms(Stats.median(overViews)),
        Stats.ms(Stats.median(nativeMs)),
        Stats.ratio(Stats.median(total) / Stats.median(nativeMs)),
        c.translations() - translations);
  }

  private static String generatedSql(CairnSession session, String sql) throws Exception {
    try (PreparedQuery query = session.query(sql)) {
      session.execute(query, statement -> { }).close();
      return query.lastDuckdbSql();
    }
  }
}
