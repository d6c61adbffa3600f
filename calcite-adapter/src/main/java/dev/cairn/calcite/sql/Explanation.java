package dev.cairn.calcite.sql;

import dev.cairn.calcite.CairnCatalog;
import dev.cairn.calcite.CatalogTable;
import dev.cairn.wire.ColumnType;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code EXPLAIN <query>}: what Cairn will do for the query, as rows of (step, detail), without
 * reading any table. One row per table version it reads (the columns decoded and the pruning
 * predicates checked against each batch's signed statistics), the row limit of a plain scan,
 * and the one statement DuckDB runs. The rows are a DuckDB {@code VALUES} statement with no
 * table, so the runtime loads nothing to answer it.
 */
final class Explanation {
  private static final List<SqlColumn> COLUMNS = List.of(
      new SqlColumn("step", Types.VARCHAR, "VARCHAR", -1, Integer.MIN_VALUE, false),
      new SqlColumn("detail", Types.VARCHAR, "VARCHAR", -1, Integer.MIN_VALUE, false));

  private Explanation() {}

  /** Returns the explanation of {@code query}, translated against {@code catalog}. */
  static TranslatedQuery of(TranslatedQuery query, CairnCatalog catalog) {
    List<String[]> rows = new ArrayList<>();
    for (TableUse use : query.tables()) {
      rows.add(new String[] {"table", describe(use, catalog)});
    }
    query.rowLimit().ifPresent(n -> rows.add(new String[] {"row limit",
        "a plain scan: fetching stops once batches hold " + n + " rows"}));
    if (query.arrivingScan()) {
      rows.add(new String[] {"scan order", "any: a cold table's batches may be read as they"
          + " arrive"});
    }
    rows.add(new String[] {"duckdb sql", query.duckdbSql()});
    StringBuilder sql = new StringBuilder("SELECT * FROM (VALUES ");
    for (int i = 0; i < rows.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append('(').append(literal(rows.get(i)[0])).append(", ")
          .append(literal(rows.get(i)[1])).append(')');
    }
    sql.append(") AS \"explain\"(\"step\", \"detail\")");
    return new TranslatedQuery(sql.toString(), List.of(), COLUMNS, List.of(),
        OptionalLong.empty(), false);
  }

  private static String describe(TableUse use, CairnCatalog catalog) {
    String name = use.schema() + "." + use.table();
    if (use.system()) {
      return name + " (system table, built from the snapshot)";
    }
    List<String> columns = new ArrayList<>();
    CatalogTable table = catalog.table(use.schema(), use.table(), use.version()).orElse(null);
    for (int index : use.columns()) {
      columns.add(table == null ? "#" + index : table.columns().column(index).name());
    }
    List<String> predicates = new ArrayList<>();
    for (PruningPredicate p : use.pruning()) {
      ColumnType type = table == null ? null : table.columns().column(p.column()).type();
      predicates.add(p.columnName() + " " + p.op() + " " + p.values().stream()
          .map(v -> readable(v, type)).toList());
    }
    return name + " version " + use.version() + ": decodes " + (columns.isEmpty()
        ? "one column (only the row count is read)" : String.join(", ", columns))
        + "; prunes batches by " + (predicates.isEmpty() ? "nothing" : predicates.toString());
  }

  /**
   * Shows a statistics value as SQL writes it; the statistics keep dates (epoch days) and
   * timestamps (epoch microseconds) as numbers.
   */
  private static String readable(Object value, ColumnType type) {
    if (type != null && value instanceof Number) {
      long n = ((Number) value).longValue();
      return switch (type.kind()) {
        case DATE -> LocalDate.ofEpochDay(n).toString();
        case TIMESTAMP -> LocalDateTime.ofEpochSecond(Math.floorDiv(n, 1_000_000L),
            (int) Math.floorMod(n, 1_000_000L) * 1_000, ZoneOffset.UTC).toString();
        case TIMESTAMPTZ -> LocalDateTime.ofEpochSecond(Math.floorDiv(n, 1_000_000L),
            (int) Math.floorMod(n, 1_000_000L) * 1_000, ZoneOffset.UTC) + "Z";
        case TIME -> LocalTime.ofNanoOfDay(Math.min(n, 86_399_999_999L) * 1_000).toString();
        case BIGINT, INTEGER, SMALLINT, TINYINT, DOUBLE, REAL, DECIMAL, VARCHAR, VARBINARY,
            BOOLEAN, UUID -> String.valueOf(value);
      };
    }
    return String.valueOf(value);
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
