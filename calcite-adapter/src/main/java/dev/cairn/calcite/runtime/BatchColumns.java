package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Which columns each batch of one table version stores, and how to read them in the version's
 * terms (docs/protocol.md, 4.9). A batch written before its table gained a column or widened a
 * type keeps its own columns: its DuckDB table holds those, under the names and types its blob
 * has, and a query reads a missing column as a typed NULL and a narrower one cast to the
 * table's type. Cache residency ({@link dev.cairn.calcite.cache.BatchCache}) counts a batch's
 * own columns, since the same blob may serve versions with different table schemas.
 */
final class BatchColumns {
  private final TableSchema table;
  private final Map<ContentId, TableSchema> stored;

  private BatchColumns(TableSchema table, Map<ContentId, TableSchema> stored) {
    this.table = requireNonNull(table, "table");
    this.stored = stored;
  }

  /** Returns the columns of the batches of {@code manifest}. */
  static BatchColumns of(Manifest manifest) {
    Map<ContentId, TableSchema> own = new HashMap<>();
    for (BatchRef b : manifest.batches()) {
      if (b.stored() != null) {
        own.put(b.id(), b.stored());
      }
    }
    return new BatchColumns(manifest.schema(), own);
  }

  /** Returns the columns of batches that all store exactly {@code table}'s columns. */
  static BatchColumns uniform(TableSchema table) {
    return new BatchColumns(table, Map.of());
  }

  /** Returns the table version's schema. */
  TableSchema table() {
    return table;
  }

  /** Returns the columns the blob {@code id} stores, in its order. */
  TableSchema storedBy(ContentId id) {
    return stored.getOrDefault(id, table);
  }

  /** Returns the index among the columns of {@code id} of table column {@code column}, or -1. */
  int storedIndex(ContentId id, int column) {
    TableSchema own = stored.get(id);
    return own == null ? column : own.indexOfId(table.columnId(column));
  }

  /** Returns the columns of {@code id} that hold the table columns {@code columns} (maybe none). */
  BitSet ownColumns(ContentId id, BitSet columns) {
    BitSet own = new BitSet();
    columns.stream().map(c -> storedIndex(id, c)).filter(s -> s >= 0).forEach(own::set);
    return own;
  }

  /**
   * Returns the columns of {@code id} to make resident for the table columns {@code columns}:
   * those it stores, or, if it stores none of them, one of its own (a resident one if there is
   * one, else the first fixed-width one), so its table exists and gives the row count.
   */
  BitSet toStored(ContentId id, BitSet columns, BitSet resident) {
    BitSet own = ownColumns(id, columns);
    if (!own.isEmpty()) {
      return own;
    }
    if (resident != null && !resident.isEmpty()) {
      own.set(resident.nextSetBit(0));
      return own;
    }
    TableSchema schema = storedBy(id);
    int chosen = 0;
    for (int i = 0; i < schema.size(); i++) {
      if (schema.column(i).type().kind() != ColumnType.Kind.VARCHAR) {
        chosen = i;
        break;
      }
    }
    own.set(chosen);
    return own;
  }

  /**
   * Returns true if table column {@code column} can be read from {@code id}'s DuckDB table
   * with {@code resident} columns: it is resident, or the batch lacks it (a NULL constant).
   */
  boolean readable(ContentId id, int column, BitSet resident) {
    int own = storedIndex(id, column);
    return own < 0 || resident.get(own);
  }

  /**
   * Returns the SELECT-list item that reads table column {@code column} from the DuckDB table
   * of {@code id}, named as the table names it: the stored column as it is, cast to the table's
   * type if it is stored narrower, or a NULL of the table's type if the batch lacks it.
   */
  String selectItem(ContentId id, int column) {
    Column wanted = table.column(column);
    int own = storedIndex(id, column);
    if (own < 0) {
      return "CAST(NULL AS " + Sql.typeOf(wanted) + ") AS " + Sql.quote(wanted.name());
    }
    Column have = storedBy(id).column(own);
    if (have.type().equals(wanted.type()) && have.name().equals(wanted.name())) {
      return Sql.quote(wanted.name());
    }
    return "CAST(" + Sql.quote(have.name()) + " AS " + Sql.typeOf(wanted) + ") AS "
        + Sql.quote(wanted.name());
  }
}
