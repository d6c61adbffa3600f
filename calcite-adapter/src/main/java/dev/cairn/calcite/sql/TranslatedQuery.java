package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalLong;

/**
 * A user query translated into one DuckDB statement plus what the runtime must load for it.
 *
 * @param duckdbSql one statement in DuckDB's dialect. Tables appear as the
 *     {@link RelationNames} of the translation name them (by default
 *     {@code "<schema>"."<table>$v<version>"} and {@code "cairn"."<name>"}); the runtime
 *     creates those relations. Dynamic parameters appear as {@code ?} in their
 *     original order (see {@link QueryTranslator} for the rare case where they are {@code $n})
 * @param tables every table version the query reads, once each
 * @param columns the result columns, in order
 * @param parameters the dynamic parameters, in order of their {@code ?} in the user's text
 * @param rowLimit when the query is a plain scan (projection only) with LIMIT: the most rows of
 *     its single table it can return (LIMIT + OFFSET), so the runtime may stop fetching early
 * @param arrivingScan the query scans one table once, and its answer is the same whatever
 *     order the scan gives rows in ({@link ScanOrder}), so the runtime may hand DuckDB the
 *     table's batches as they arrive
 */
public record TranslatedQuery(String duckdbSql, List<TableUse> tables, List<SqlColumn> columns,
    List<SqlColumn> parameters, OptionalLong rowLimit, boolean arrivingScan) {
  public TranslatedQuery {
    requireNonNull(duckdbSql, "duckdbSql");
    tables = List.copyOf(tables);
    columns = List.copyOf(columns);
    parameters = List.copyOf(parameters);
    requireNonNull(rowLimit, "rowLimit");
  }

  /** Returns how many dynamic parameters ({@code ?}) the query has. */
  public int parameterCount() {
    return parameters.size();
  }
}
