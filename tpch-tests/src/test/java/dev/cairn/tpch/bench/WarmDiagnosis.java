package dev.cairn.tpch.bench;

import dev.cairn.calcite.runtime.BenchBridge;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.PreparedQuery;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a warm query is slower than DuckDB, without trusting one timing: for each query named,
 * its warm time through jdbc:cairn, the DuckDB SQL Cairn generates run on the driver's DuckDB
 * (over the session's views), the same generated SQL run on the reference DuckDB with its
 * relations renamed to the plain tables (so the SQL's shape and the storage are told apart),
 * and the query text on the reference DuckDB; the generated SQL and both EXPLAIN ANALYZE
 * outputs go to {@code --out}. Run on demand, never in CI.
 *
 * <p>Arguments: {@code --scale SF} (1), {@code --runs N} (5), {@code --out DIR}
 * (target/warm-diagnosis), then the query numbers (default 10 15 20 22).
 */
public final class WarmDiagnosis {
  private WarmDiagnosis() {}

  public static void main(String[] args) throws Exception {
    double scale = 1;
    int runs = 5;
    Path out = Path.of("target/warm-diagnosis");
    List<Integer> queries = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> queries.add(Integer.parseInt(args[i]));
      }
    }
    if (queries.isEmpty()) {
      queries = List.of(10, 15, 20, 22);
    }
    Files.createDirectories(out);
    try (PublishedTpch tpch = PublishedTpch.start("cairn-warm-diagnosis", scale);
        Connection reference = TpchBenchmark.duckdb();
        Connection cairn = DriverManager.getConnection(tpch.freshUrl())) {
      TpchGenerator.loadInto(reference, scale);
      CairnSession session = cairn.unwrap(CairnSession.class);
      for (int q : queries) {
        diagnose(q, runs, out, session, cairn, reference);
      }
      cairn.close();
      BenchBridge.release(session.runtime());
    }
  }

  private static void diagnose(int q, int runs, Path out, CairnSession session, Connection cairn,
      Connection reference) throws Exception {
    String sql = TpchQueries.text(q);
    QueryRuns.once(cairn, sql, 0); // cold
    QueryRuns.once(cairn, sql, 0); // first warm: merges
    List<Double> warm = QueryRuns.times(cairn, sql, runs);
    String generated;
    try (PreparedQuery query = session.query(sql)) {
      session.execute(query, statement -> { }).close();
      generated = query.lastDuckdbSql();
    }
    // The same relation names on the reference DuckDB, as views of its plain tables.
    String onPlain = generated;
    Matcher names = Pattern.compile(
        "\"(cairn_s\\d+_[a-z]+)\"\\.\"([a-z]+)\\$v(\\d+)\"").matcher(generated);
    try (Statement s = reference.createStatement()) {
      while (names.find()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS \"" + names.group(1) + "\"");
        s.execute("CREATE OR REPLACE VIEW " + names.group() + " AS SELECT * FROM main.\""
            + names.group(2) + "\"");
      }
    }
    List<Double> views = QueryRuns.times(session.duckdb(), generated, runs);
    List<Double> shape = QueryRuns.times(reference, onPlain, runs);
    QueryRuns.once(reference, sql, 0);
    List<Double> nativeMs = QueryRuns.times(reference, sql, runs);
    StringBuilder report = new StringBuilder();
    report.append("-- Q").append(q).append(" generated\n").append(generated).append("\n\n");
    report.append("-- views definition\n");
    try (Statement s = session.duckdb().createStatement();
        ResultSet r = s.executeQuery("select view_name, sql from duckdb_views()"
            + " where schema_name like 'cairn_s%'")) {
      while (r.next()) {
        report.append(r.getString(1)).append(": ").append(r.getString(2)).append('\n');
      }
    }
    report.append("-- EXPLAIN ANALYZE over views\n").append(explain(session.duckdb(), generated));
    report.append("-- EXPLAIN ANALYZE generated on plain tables\n")
        .append(explain(reference, onPlain));
    report.append("-- EXPLAIN ANALYZE native\n").append(explain(reference, sql));
    Files.writeString(out.resolve("q" + q + ".txt"), report.toString());
    System.out.printf(Locale.ROOT, "Q%02d warm %s | generated over views %s | generated on plain"
        + " %s | native %s%n", q, Stats.ms(Stats.median(warm)), Stats.ms(Stats.median(views)),
        Stats.ms(Stats.median(shape)), Stats.ms(Stats.median(nativeMs)));
  }

  private static String explain(Connection connection, String sql) throws Exception {
    StringBuilder text = new StringBuilder();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("EXPLAIN ANALYZE " + sql)) {
      while (r.next()) {
        text.append(r.getString(2)).append('\n');
      }
    }
    return text.toString();
  }
}
