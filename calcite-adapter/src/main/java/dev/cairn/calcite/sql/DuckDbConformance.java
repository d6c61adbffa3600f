package dev.cairn.calcite.sql;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * Babel's lenient SQL conformance (PostgreSQL and DuckDB habits) with DuckDB's strict GROUP BY.
 *
 * <p>Babel's {@code isNonStrictGroupBy()} makes Calcite's validator wrap every select item that
 * is not an aggregate and not textually a GROUP BY item in {@code ANY_VALUE(...)}
 * ({@code SqlValidatorImpl.isNonAggregatedNonGroupedColumn}, Calcite 1.42). That check does not
 * look inside {@code ROLLUP}, {@code CUBE} or {@code GROUPING SETS}, so their keys became
 * {@code ANY_VALUE(key)} and subtotal rows showed a real key instead of NULL; it wrapped
 * {@code GROUPING(col)} in an aggregate, which was then refused; and it walked into window
 * specifications' null operands ({@code NullPointerException} in {@code AggFinder.findAgg} for
 * {@code avg(sum(x)) OVER (...)}). DuckDB and PostgreSQL refuse non-grouped columns anyway.
 */
final class DuckDbConformance extends SqlDelegatingConformance {
  /** The one instance; it holds no state. */
  static final DuckDbConformance INSTANCE = new DuckDbConformance();

  private DuckDbConformance() {
    super(SqlConformanceEnum.BABEL);
  }

  @Override
  public boolean isNonStrictGroupBy() {
    return false;
  }
}
