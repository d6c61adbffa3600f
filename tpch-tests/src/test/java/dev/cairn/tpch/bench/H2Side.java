package dev.cairn.tpch.bench;

import dev.cairn.tpchdata.TpchQueries;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * H2 in memory at {@code --h2-scale}, beside Cairn warm at the same scale (the data just
 * republished as the next version of every table). A query H2 cannot parse or run is reported
 * as failed with H2's message; one over {@code --h2-timeout} as timed out; one slower than
 * {@value #REPEAT_BELOW_MS} ms is run once only.
 */
final class H2Side {
  static final double REPEAT_BELOW_MS = 10_000;
  /**
   * H2 would otherwise return a repeated query's cached result without running it
   * (OPTIMIZE_REUSE_RESULTS), and refuses Q11's column alias {@code value}, a keyword in H2 2.x
   * (NON_KEYWORDS lets it pass; the query text is unchanged).
   */
  static final String H2_URL = "jdbc:h2:mem:tpch;DB_CLOSE_DELAY=-1;OPTIMIZE_REUSE_RESULTS=FALSE"
      + ";NON_KEYWORDS=VALUE";

  private H2Side() {}

  static void measure(TpchBenchmark.BenchArgs a, CairnColdWarm cairn, TpchReport report)
      throws Exception {
    try (Connection h2 = DriverManager.getConnection(H2_URL,
        "sa", "")) {
      long start = System.nanoTime();
      long rows = H2Load.load(h2, a.h2Scale());
      report.note(String.format(java.util.Locale.ROOT, "H2 %s loaded at SF %s (%d rows, batch"
          + " inserts, primary keys and foreign-key indexes, ANALYZE) in %.1f s",
          h2.getMetaData().getDatabaseProductVersion(), a.h2Scale(), rows,
          Stats.millisSince(start) / 1000));
      for (int q = 1; q <= TpchQueries.COUNT; q++) {
        String sql = TpchQueries.text(q);
        CairnColdWarm.Result c = cairn.run(sql, a.runs());
        String h2Outcome = null;
        double h2Ms = Double.NaN;
        try {
          QueryRuns.Run first = QueryRuns.once(h2, sql, a.h2TimeoutSeconds());
          List<Double> times = new ArrayList<>();
          times.add(first.millis());
          if (first.millis() < REPEAT_BELOW_MS) {
            times = QueryRuns.times(h2, sql, a.runs());
          }
          h2Ms = Stats.median(times);
          if (first.rows() != c.rows()) {
            report.note("Q" + q + " at SF " + a.h2Scale() + ": H2 returned " + first.rows()
                + " rows, Cairn " + c.rows());
          }
        } catch (SQLTimeoutException e) {
          h2Outcome = "timeout > " + a.h2TimeoutSeconds() + " s";
        } catch (SQLException e) {
          h2Outcome = e.getErrorCode() == 57014 ? "timeout > " + a.h2TimeoutSeconds() + " s"
              : "failed: " + firstLine(e.getMessage());
        }
        report.addH2(q, c.warmMs(), h2Ms, h2Outcome);
        System.out.printf(java.util.Locale.ROOT, "Q%02d SF %s cairn warm %s h2 %s%n", q,
            a.h2Scale(), Stats.ms(c.warmMs()), h2Outcome != null ? h2Outcome : Stats.ms(h2Ms));
      }
    }
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message.replace("\\000a", " ").replace("\\0009", " ")
        .strip();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 120 ? m.substring(0, 120) + "..." : m;
  }
}
