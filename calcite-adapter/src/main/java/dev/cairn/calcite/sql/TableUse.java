package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One table version a translated query reads, and what the runtime may skip when it loads it.
 *
 * @param schema the schema name (exact)
 * @param table the table name (exact, without {@code $v})
 * @param version the version the query reads (0 for system tables)
 * @param system true for a table of the system schema {@code cairn}
 * @param duckdbRelation the quoted DuckDB relation the SQL reads, as the translation's
 *     {@link RelationNames} name it, e.g. {@code "tpch"."lineitem$v1"} or
 *     {@code "cairn"."nodes"}
 * @param columns indexes (into the table's schema) of every column the query reads; the
 *     relation exposes exactly these, so a column missed here fails as unknown in DuckDB
 *     rather than reading as NULL
 * @param pruning predicates that hold for every row the query reads from this table (a
 *     conjunction); empty when nothing is known
 */
public record TableUse(String schema, String table, long version, boolean system,
    String duckdbRelation, SortedSet<Integer> columns, List<PruningPredicate> pruning) {
  public TableUse {
    requireNonNull(schema, "schema");
    requireNonNull(table, "table");
    requireNonNull(duckdbRelation, "duckdbRelation");
    columns = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(columns));
    pruning = List.copyOf(pruning);
  }

  /** Returns true if the query reads column {@code index}. */
  public boolean reads(int index) {
    return columns.contains(index);
  }

  /** Returns the column indexes as a plain set. */
  public Set<Integer> columnSet() {
    return columns;
  }
}
