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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds which relation makes DuckDB plan a warm query differently from the same SQL on its own
 * plain tables: loads the plain TPC-H tables into the driver's own DuckDB, then points the
 * session's views at a plain table one relation at a time (and at copies of the resident
 * relation made other ways) and prints whether each plan has a marker operator. Run on
 * demand, never in CI. Arguments: {@code --scale SF} (1), {@code --marker TEXT}
 * ("EXPORT_STATE"), {@code --out DIR} (target/plan-bisect: the plans and column statistics of
 * the customer variants), the query number (10).
 */
public final class PlanBisect {
  private PlanBisect() {}

  public static void main(String[] args) throws Exception {
    double scale = 1;
    int q = 10;
    String marker = "EXPORT_STATE";
    Path out = Path.of("target/plan-bisect");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        case "--marker" -> marker = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> q = Integer.parseInt(args[i]);
      }
    }
    Files.createDirectories(out);
    try (PublishedTpch tpch = PublishedTpch.start("cairn-plan-bisect", scale);
        Connection cairn = DriverManager.getConnection(tpch.freshUrl())) {
      CairnSession session = cairn.unwrap(CairnSession.class);
      String sql = TpchQueries.text(q);
      QueryRuns.once(cairn, sql, 0);
      QueryRuns.once(cairn, sql, 0);
      String generated;
      try (PreparedQuery query = session.query(sql)) {
        session.execute(query, statement -> { }).close();
        generated = query.lastDuckdbSql();
      }
      Connection duck = session.duckdb();
      TpchGenerator.loadInto(duck, scale);
      Map<String, String> views = new LinkedHashMap<>();
      try (Statement s = duck.createStatement();
          ResultSet r = s.executeQuery("select schema_name, view_name, sql from duckdb_views()"
              + " where schema_name like 'cairn_s%'")) {
        while (r.next()) {
          views.put("\"" + r.getString(1) + "\".\"" + r.getString(2) + "\"", r.getString(3));
        }
      }
      report(duck, generated, marker, "as run");
      Files.writeString(out.resolve("as-run.txt"), explain(duck, generated));
      Pattern from = Pattern.compile("FROM (cairn_cache\\.[a-z0-9_]+)");
      for (var view : views.entrySet()) {
        String table = view.getKey().replaceAll(".*\\.\"([a-z]+)\\$v\\d+\"", "$1");
        Matcher m = from.matcher(view.getValue());
        if (!m.find()) {
          continue;
        }
        String resident = m.group(1);
        String columns = view.getValue().replaceAll("(?s).* AS SELECT (.*) FROM .*", "$1");
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("plain main." + table, "main." + table);
        variants.put("CTAS copy", "CREATE TABLE x_copy AS SELECT * FROM " + resident);
        variants.put("CTAS of plain", "CREATE TABLE x_copy AS SELECT * FROM main." + table);
        variants.put("CTAS without ordinal", "CREATE TABLE x_copy AS SELECT " + columns
            + " FROM " + resident);
        variants.put("plain schema, rows inserted", "CREATE TABLE x_copy AS SELECT * FROM main."
            + table + " LIMIT 0;INSERT INTO x_copy BY NAME SELECT " + columns + " FROM "
            + resident);
        variants.put("CTAS sorted", "CREATE TABLE x_copy AS SELECT * FROM " + resident
            + " ORDER BY 2");
        for (var v : variants.entrySet()) {
          String target = resident;
          try (Statement s = duck.createStatement()) {
            if (v.getValue().startsWith("main.")) {
              target = v.getValue();
            } else if (v.getValue().startsWith("CREATE")) {
              s.execute("DROP TABLE IF EXISTS x_copy");
              for (String part : v.getValue().split(";")) {
                s.execute(part);
              }
              target = "x_copy";
            } else {
              s.execute(v.getValue());
            }
            s.execute("CREATE OR REPLACE VIEW " + view.getKey() + " AS SELECT " + columns
                + " FROM " + target);
            report(duck, generated, marker, table + ": " + v.getKey());
            if (table.equals("customer")) {
              Files.writeString(out.resolve(v.getKey().replaceAll("[^a-z.]+", "-")
                  + ".txt"), explain(duck, generated) + "\n" + describe(duck, target));
            }
            s.execute(view.getValue().replace("CREATE VIEW", "CREATE OR REPLACE VIEW"));
          }
        }
      }
      report(duck, generated, marker, "restored (after ANALYZE of each)");
      for (String t : List.of("customer", "orders", "lineitem", "nation")) {
        try (Statement s = duck.createStatement();
            ResultSet r = s.executeQuery("EXPLAIN SELECT * FROM main." + t)) {
          r.next();
        }
      }
      cairn.close();
      BenchBridge.release(session.runtime());
    }
  }

  private static String explain(Connection duck, String sql) throws Exception {
    StringBuilder plan = new StringBuilder();
    try (Statement s = duck.createStatement();
        ResultSet r = s.executeQuery("EXPLAIN " + sql)) {
      while (r.next()) {
        plan.append(r.getString(2)).append('\n');
      }
    }
    return plan.toString();
  }

  private static String describe(Connection duck, String table) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Statement s = duck.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM (SUMMARIZE " + table + ")")) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        for (int i = 1; i <= n; i++) {
          String v = String.valueOf(r.getObject(i));
          out.append(v.length() > 30 ? v.substring(0, 30) : v).append(" | ");
        }
        out.append('\n');
      }
    }
    try (Statement s = duck.createStatement();
        ResultSet r = s.executeQuery("SELECT column_name, is_nullable, data_type FROM"
            + " information_schema.columns WHERE table_name = '" + table.replaceAll(".*\\.", "")
            + "'")) {
      while (r.next()) {
        out.append(r.getString(1)).append(' ').append(r.getString(2)).append(' ')
            .append(r.getString(3)).append('\n');
      }
    }
    return out.toString();
  }

  private static void report(Connection duck, String sql, String marker, String label)
      throws Exception {
    StringBuilder plan = new StringBuilder();
    long start = System.nanoTime();
    try (Statement s = duck.createStatement();
        ResultSet r = s.executeQuery("EXPLAIN ANALYZE " + sql)) {
      while (r.next()) {
        plan.append(r.getString(2));
      }
    }
    double ms = (System.nanoTime() - start) / 1e6;
    System.out.printf("PLAN %-40s %s %8.1f ms%n", label,
        plan.toString().contains(marker) ? "HAS " + marker : "no " + marker, ms);
  }
}
