package dev.cairn.tpch.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What reading a table version as a UNION ALL of one DuckDB table per batch costs DuckDB, the
 * shape of the driver's session views: {@code select sum(a), sum(b)} over 6 M rows of two
 * DECIMAL(15,2) columns, split into 13 to 500 tables, against one plain table, and with the
 * view also carrying 14 placeholder {@code CAST(NULL AS VARCHAR)} columns (what the views
 * carried for columns a query does not read, before they exposed only the columns read), and
 * a selective join (the rows, keyed, joined with 60,000 keys of which a filter keeps one in
 * seven) over one table and over 123.
 * DuckDB alone, 2 threads, in memory; median of 7 runs each. Run on demand, never in CI.
 */
public final class UnionScanBenchmark {
  private static final int ROWS = 6_000_000;
  private static final int RUNS = 7;

  private UnionScanBenchmark() {}

  public static void main(String[] args) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("threads", "2");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:", properties);
        Statement s = c.createStatement()) {
      s.execute("create table whole as select (random() * 100000)::decimal(15,2) a,"
          + " (random() * 50)::decimal(15,2) b from range(" + ROWS + ")");
      System.out.println("| relation | median ms |");
      System.out.println("|---|---|");
      report("one plain table", median(s, "select sum(a), sum(b) from whole"));
      for (int parts : new int[] {13, 50, 123, 500}) {
        split(s, parts);
        report("UNION ALL of " + parts + " tables", median(s,
            "select sum(a), sum(b) from (" + unionOf(parts, "a, b") + ")"));
      }
      // A selective join, as in TPC-H: the small side's keys filter the big side's scan.
      s.execute("create table keys as select range * 100 k from range(" + ROWS / 1000 + ")");
      s.execute("create or replace table whole as select range k, a, b from"
          + " (select row_number() over () - 1 range, a, b from whole)");
      for (int i = 0; i < 123; i++) {
        s.execute("create or replace table p123_" + i + " as select k, a, b from whole"
            + " where k >= " + (long) i * (ROWS / 123) + " and k < "
            + (i == 122 ? ROWS : (long) (i + 1) * (ROWS / 123)));
      }
      String join = "select sum(w.a) from %s w join keys on w.k = keys.k"
          + " where keys.k %% 7 = 0";
      report("join with a filtered key table: one plain table", median(s,
          String.format(Locale.ROOT, join, "whole")));
      report("join with a filtered key table: UNION ALL of 123 tables", median(s,
          String.format(Locale.ROOT, join, "(" + unionOf(123, "k, a, b") + ")")));
      // What the driver does once a version's batches are resident: merge them into one table
      // with the batch's position, built from the union (timed once, with and without sorting
      // by position), then read whole or filtered to some positions (a pruned query).
      long start = System.nanoTime();
      s.execute("create table merged_sorted as " + unionWithOrdinal(123, "k, a, b")
          + " order by 1");
      report("build: merged table from the 123 tables, ordered by position (once)",
          Stats.millisSince(start));
      start = System.nanoTime();
      s.execute("create table merged as " + unionWithOrdinal(123, "k, a, b"));
      report("build: merged table from the 123 tables, unordered (once)",
          Stats.millisSince(start));
      report("merged: scan", median(s, "select sum(a), sum(b) from merged"));
      report("join with a filtered key table: merged table", median(s,
          String.format(Locale.ROOT, join, "merged")));
      StringBuilder half = new StringBuilder();
      for (int i = 0; i < 123; i += 2) {
        half.append(i == 0 ? "" : ", ").append(i);
      }
      report("every 2nd batch: UNION ALL of 62 tables", median(s,
          "select sum(a), sum(b) from (" + unionOf(123, "k, a, b", 2) + ")"));
      report("every 2nd batch: merged, position IN (62 values)", median(s,
          "select sum(a), sum(b) from merged where \"cairn$batch\" in (" + half + ")"));
      report("every 2nd batch: merged ordered, position IN (62 values)", median(s,
          "select sum(a), sum(b) from merged_sorted where \"cairn$batch\" in (" + half + ")"));
      report("first 10 batches: merged ordered, position IN (10 values)", median(s,
          "select sum(a), sum(b) from merged_sorted where \"cairn$batch\" in"
              + " (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)"));
      report("first 10 batches: merged, position IN (10 values)", median(s,
          "select sum(a), sum(b) from merged where \"cairn$batch\" in"
              + " (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)"));
      report("batches 60-69: merged, position BETWEEN 60 AND 69", median(s,
          "select sum(a), sum(b) from merged where \"cairn$batch\" between 60 and 69"));
      report("first 10 batches: UNION ALL of 10 tables", median(s,
          "select sum(a), sum(b) from (" + unionOf(10, "k, a, b", 1) + ")"));
      StringBuilder nulls = new StringBuilder();
      for (int k = 0; k < 14; k++) {
        nulls.append(", cast(null as varchar) as n").append(k);
      }
      report("UNION ALL of 123 tables, with 14 NULL placeholder columns", median(s,
          "select sum(a), sum(b) from (" + unionOf(123, "a, b" + nulls) + ")"));
    }
  }

  private static void split(Statement s, int parts) throws Exception {
    int per = ROWS / parts;
    for (int i = 0; i < parts; i++) {
      s.execute("create or replace table p" + parts + "_" + i + " as select a, b from whole"
          + " limit " + per + " offset " + (long) i * per);
    }
  }

  private static String unionOf(int parts, String columns) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < parts; i++) {
      sql.append(i == 0 ? "" : " union all ").append("select ").append(columns)
          .append(" from p").append(parts).append('_').append(i);
    }
    return sql.toString();
  }

  /** The first {@code count} of the 123 keyed tables, every {@code step}th. */
  private static String unionOf(int count, String columns, int step) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < count; i += step) {
      sql.append(i == 0 ? "" : " union all ").append("select ").append(columns)
          .append(" from p123_").append(i);
    }
    return sql.toString();
  }

  private static String unionWithOrdinal(int parts, String columns) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < parts; i++) {
      sql.append(i == 0 ? "" : " union all ").append("select cast(").append(i)
          .append(" as integer) as \"cairn$batch\", ").append(columns).append(" from p")
          .append(parts).append('_').append(i);
    }
    return sql.toString();
  }

  private static double median(Statement s, String sql) throws Exception {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      try (ResultSet rs = s.executeQuery(sql)) {
        rs.next();
      }
      times.add(Stats.millisSince(start));
    }
    return Stats.median(times);
  }

  private static void report(String relation, double ms) {
    System.out.printf(Locale.ROOT, "| %s | %.1f |%n", relation, ms);
  }
}
