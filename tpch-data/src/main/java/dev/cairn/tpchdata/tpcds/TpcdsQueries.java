package dev.cairn.tpchdata.tpcds;

import dev.cairn.tpchdata.NumberedQueries;
import java.util.List;
import java.util.Map;

/**
 * The 99 TPC-DS queries: the TPC-DS specification's query templates with their default
 * substitutions, as distributed with DuckDB (MIT licensed, {@code
 * extension/tpcds/dsdgen/queries/NN.sql}), one statement each (resources {@code
 * dev/cairn/tpchdata/tpcds/queries/qNN.sql}).
 *
 * <p>The texts are unedited except that the trailing semicolon and blanks are stripped.
 */
public final class TpcdsQueries {
  /** How many queries TPC-DS has. */
  public static final int COUNT = 99;

  private static final NumberedQueries QUERIES =
      NumberedQueries.load("TPC-DS", COUNT, TpcdsQueries.class);

  private TpcdsQueries() {}

  /** Returns query {@code n} (1 to 99), or throws NOT_FOUND. */
  public static String text(int n) {
    return QUERIES.text(n);
  }

  /** Returns every query by number, in order 1 to 99. */
  public static Map<Integer, String> all() {
    return QUERIES.all();
  }

  /**
   * Returns the query numbers a list such as {@code "5,14,36"} names (blanks ignored), or all
   * of them, 1 to 99, for null or an empty list. A number out of range throws NOT_FOUND;
   * anything else BAD_FORMAT.
   */
  public static List<Integer> numbers(String list) {
    return QUERIES.numbers(list);
  }
}
