package dev.cairn.tpch.bench;

import dev.cairn.calcite.runtime.BenchBridge;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.PreparedQuery;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import java.io.BufferedReader;
import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An interactive shell on the driver's own DuckDB after TPC-H queries ran warm (so the merged
 * tables exist) and DuckDB's own plain tables were loaded beside them, for finding why DuckDB
 * reads one slower than the other. Reads commands from a file or FIFO: {@code sql <statement>}
 * prints the rows; {@code q <n> <label>} times query n's generated SQL (median of 7) and writes
 * its EXPLAIN ANALYZE to {@code --out}; {@code native <n> <label>} the same for the query
 * text on the plain tables; {@code cairn <n>} times the query through jdbc:cairn (and so
 * points the session's views at that query's relations); {@code gen <n>} prints the generated
 * SQL; {@code quit}. Run on demand, never in CI. Arguments: {@code --scale SF} (1), {@code --out DIR},
 * {@code --commands FILE}, then the queries to warm.
 */
public final class DuckShell {
  private DuckShell() {}

  public static void main(String[] args) throws Exception {
    double scale = 1;
    Path out = Path.of("target/duck-shell");
    String commands = null;
    List<Integer> queries = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--commands" -> commands = args[++i];
        default -> queries.add(Integer.parseInt(args[i]));
      }
    }
    Files.createDirectories(out);
    try (PublishedTpch tpch = PublishedTpch.start("cairn-duck-shell", scale);
        Connection cairn = DriverManager.getConnection(tpch.freshUrl())) {
      CairnSession session = cairn.unwrap(CairnSession.class);
      Map<Integer, String> generated = new HashMap<>();
      for (int q : queries) {
        String sql = TpchQueries.text(q);
        QueryRuns.once(cairn, sql, 0);
        QueryRuns.once(cairn, sql, 0);
        try (PreparedQuery query = session.query(sql)) {
          session.execute(query, statement -> { }).close();
          generated.put(q, query.lastDuckdbSql());
        }
      }
      Connection duck = session.duckdb();
      TpchGenerator.loadInto(duck, scale);
      System.out.println("READY");
      try (BufferedReader in = new BufferedReader(new FileReader(commands))) {
        for (String line; (line = in.readLine()) != null; ) {
          line = line.strip();
          if (line.isEmpty()) {
            continue;
          }
          System.out.println("> " + line);
          try {
            String[] w = line.split(" ", 3);
            switch (w[0]) {
              case "quit" -> {
                cairn.close();
                BenchBridge.release(session.runtime());
                return;
              }
              case "sql" -> print(duck, line.substring(4));
              case "q" -> time(duck, generated.get(Integer.parseInt(w[1])), out, w[2]);
              case "gen" -> System.out.println(generated.get(Integer.parseInt(w[1])));
              case "native" -> time(duck, TpchQueries.text(Integer.parseInt(w[1])), out, w[2]);
              case "cairn" -> System.out.println("cairn " + Stats.median(
                  QueryRuns.times(cairn, TpchQueries.text(Integer.parseInt(w[1])), 7)));
              default -> System.out.println("unknown command");
            }
          } catch (Exception e) {
            System.out.println("ERROR " + e.getMessage());
          }
          System.out.flush();
        }
      }
    }
  }

  private static void time(Connection duck, String sql, Path out, String label)
      throws Exception {
    QueryRuns.times(duck, sql, 2);
    double median = Stats.median(QueryRuns.times(duck, sql, 7));
    StringBuilder plan = new StringBuilder();
    try (Statement s = duck.createStatement();
        ResultSet r = s.executeQuery("EXPLAIN ANALYZE " + sql)) {
      while (r.next()) {
        plan.append(r.getString(2)).append('\n');
      }
    }
    Files.writeString(out.resolve(label + ".txt"), plan);
    System.out.printf("TIME %s %.1f ms%n", label, median);
  }

  private static void print(Connection duck, String sql) throws Exception {
    try (Statement s = duck.createStatement()) {
      if (!s.execute(sql)) {
        System.out.println("ok");
        return;
      }
      try (ResultSet r = s.getResultSet()) {
        int n = r.getMetaData().getColumnCount();
        for (int row = 0; r.next() && row < 60; row++) {
          StringBuilder b = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            String v = String.valueOf(r.getObject(i));
            b.append(v.length() > 20000 ? v.substring(0, 20000) : v).append(" | ");
          }
          System.out.println(b);
        }
      }
    }
  }
}
