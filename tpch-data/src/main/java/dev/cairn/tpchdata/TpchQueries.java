package dev.cairn.tpchdata;

import java.util.Locale;
import java.util.Map;

/**
 * The 22 TPC-H queries as the specification prints them, with its validation substitution
 * parameters, one statement each, no trailing semicolon (resources
 * {@code dev/cairn/tpchdata/queries/qNN.sql}).
 *
 * <p>Deviations from the printed text, all needed to send a query as one JDBC statement to
 * Calcite and DuckDB: intervals are written {@code interval '90' day} (without the
 * specification's precision {@code (3)}), row-count clauses are {@code limit N}, and Q15's
 * view is a {@code with revenue0 as (...)} clause. Q11's fraction is the printed 0.0001 (the
 * specification scales it by 1/SF for other scale factors; we do not, so every scale factor
 * sees the same text).
 */
public final class TpchQueries {
  /** How many queries TPC-H has. */
  public static final int COUNT = 22;

  private static final NumberedQueries QUERIES =
      NumberedQueries.load("TPC-H", COUNT, TpchQueries.class);

  private TpchQueries() {}

  /** Returns query {@code n} (1 to 22), or throws NOT_FOUND. */
  public static String text(int n) {
    return QUERIES.text(n);
  }

  /** Returns every query by number, in order 1 to 22. */
  public static Map<Integer, String> all() {
    return QUERIES.all();
  }

  /**
   * Returns whether query {@code n}'s result has a defined order (it ends with ORDER BY), so
   * that comparing results must compare row order too. False for Q6, Q14, Q17 and Q19, which
   * return one row.
   */
  public static boolean ordered(int n) {
    return text(n).toLowerCase(Locale.ROOT).contains("order by");
  }
}
