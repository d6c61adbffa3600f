package dev.cairn.client.publish;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.TypeWidening;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides the schema of a table's next version from its head's and its input's
 * (docs/protocol.md, 4.9): the head's columns in their order, each of the wider of its two types,
 * then the input's extra columns, nullable, with new ids. Anything else is SCHEMA_CHANGE naming
 * the column and both types, raised before anything is uploaded.
 *
 * <p>An input column narrower than the table's (INTEGER into a BIGINT column) is accepted: its
 * batches are stored as they are and read as the table's type, and the table never narrows.
 */
final class SchemaEvolution {
  private SchemaEvolution() {}

  /**
   * Returns the schema to read a CSV input with when it has no explicit schema: for each
   * {@code inferred} column, the head's column of that name (ignoring case, as the CSV header
   * check does), or the inferred type where it is strictly wider than the head's; the
   * inferred column for names the head lacks.
   */
  static TableSchema readingSchema(TableSchema head, TableSchema inferred) {
    List<Column> columns = new ArrayList<>(inferred.size());
    for (Column column : inferred.columns()) {
      Column known = find(head, column.name());
      if (known == null) {
        columns.add(column);
      } else if (!known.type().equals(column.type())
          && TypeWidening.widensTo(known.type(), column.type())) {
        columns.add(new Column(known.name(), column.type(), known.nullable()));
      } else {
        columns.add(known);
      }
    }
    return new TableSchema(columns);
  }

  private static Column find(TableSchema schema, String name) {
    for (Column c : schema.columns()) {
      if (c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    return null;
  }

  /**
   * Returns the next version's schema, or throws SCHEMA_CHANGE; {@code table} names the table
   * and its head version for messages, e.g. {@code alice.orders version 3}.
   */
  static TableSchema next(TableSchema head, TableSchema input, String table) {
    List<Column> columns = new ArrayList<>(input.size());
    List<Integer> ids = new ArrayList<>(input.size());
    for (int i = 0; i < head.size(); i++) {
      Column old = head.column(i);
      Column given = i < input.size() ? input.column(i) : null;
      if (given == null || !given.name().equals(old.name())) {
        throw missing(head, input, i, table);
      }
      var type = TypeWidening.wider(old.type(), given.type());
      if (type == null) {
        throw new CairnException(ErrorCode.SCHEMA_CHANGE, "column " + old.name() + " is "
            + old.type() + " in " + table + " but " + given.type() + " in the input; a type may"
            + " only widen (TINYINT to SMALLINT to INTEGER to BIGINT, "
            + "REAL to DOUBLE, DECIMAL(p,s) to DECIMAL(p',s) with p' >= p)");
      }
      columns.add(new Column(old.name(), type, old.nullable() || given.nullable()));
      ids.add(head.columnId(i));
    }
    int nextId = head.columnIds().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    for (int i = head.size(); i < input.size(); i++) {
      Column added = input.column(i);
      // Batches of earlier versions have no value for it: NULL.
      columns.add(new Column(added.name(), added.type(), true));
      ids.add(nextId++);
    }
    return new TableSchema(columns, ids);
  }

  /** Returns the refusal for the head's column {@code i}, which the input lacks or moved. */
  private static CairnException missing(TableSchema head, TableSchema input, int i,
      String table) {
    Column old = head.column(i);
    int moved = input.indexOf(old.name());
    String why;
    if (moved >= 0) {
      why = "is column " + (i + 1) + " in " + table + " but column " + (moved + 1)
          + " in the input; columns cannot be reordered";
    } else if (i < input.size()) {
      why = "of " + table + " is not in the input, which has " + input.column(i)
          + " in its place; columns cannot be dropped or renamed";
    } else {
      why = "of " + table + " is not in the input; columns cannot be dropped";
    }
    return new CairnException(ErrorCode.SCHEMA_CHANGE, "column " + old.name() + " ("
        + old.type() + ") " + why);
  }

  /**
   * Returns the columns a batch of {@code input} stores, with the ids of {@code next} (which
   * {@link #next} made from it, column for column).
   */
  static TableSchema storedAs(TableSchema next, TableSchema input) {
    return new TableSchema(input.columns(), next.columnIds());
  }
}
