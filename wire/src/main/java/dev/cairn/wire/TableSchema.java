package dev.cairn.wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The ordered columns of a table version. Column names are unique ignoring case, because SQL
 * readers match unquoted identifiers case-insensitively.
 */
public final class TableSchema {
  /** Most columns a table may have. */
  public static final int COLUMNS_MAX = 1024;

  private final List<Column> columns;

  /** Creates a schema of 1 to {@link #COLUMNS_MAX} columns with case-insensitively unique names. */
  public TableSchema(List<Column> columns) {
    if (columns.isEmpty() || columns.size() > COLUMNS_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "a table has 1 to " + COLUMNS_MAX + " columns, not " + columns.size());
    }
    Set<String> seen = new HashSet<>();
    for (Column c : columns) {
      if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "duplicate column name '" + c.name() + "'");
      }
    }
    this.columns = List.copyOf(columns);
  }

  /** Returns the Cairn schema of an Arrow schema, or throws BAD_FORMAT for types it lacks. */
  public static TableSchema fromArrow(Schema arrow) {
    List<Column> columns = new ArrayList<>();
    for (Field f : arrow.getFields()) {
      if (!f.getChildren().isEmpty()) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "nested column '" + f.getName()
            + "' is not supported");
      }
      columns.add(new Column(f.getName(), ColumnType.fromArrow(f.getType()), f.isNullable()));
    }
    return new TableSchema(columns);
  }

  /** Returns the Arrow schema every batch of this table carries. */
  public Schema toArrow() {
    List<Field> fields = new ArrayList<>(columns.size());
    for (Column c : columns) {
      FieldType type = new FieldType(c.nullable(), c.type().toArrow(), null);
      fields.add(new Field(c.name(), type, null));
    }
    return new Schema(fields);
  }

  public List<Column> columns() {
    return columns;
  }

  /**
   * Returns the schema of the columns at {@code indexes} (strictly increasing), in that order:
   * what a batch decoded with only those columns carries.
   */
  public TableSchema project(int[] indexes) {
    List<Column> projected = new ArrayList<>(indexes.length);
    int previous = -1;
    for (int index : indexes) {
      if (index <= previous || index >= columns.size()) {
        throw new IllegalArgumentException("column indexes must increase within 0.."
            + (columns.size() - 1) + ": " + java.util.Arrays.toString(indexes));
      }
      projected.add(columns.get(index));
      previous = index;
    }
    return new TableSchema(projected);
  }

  public int size() {
    return columns.size();
  }

  public Column column(int index) {
    return columns.get(index);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableSchema && columns.equals(((TableSchema) o).columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return columns.toString();
  }
}
