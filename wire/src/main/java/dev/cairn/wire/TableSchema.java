package dev.cairn.wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The ordered columns of a table version. Column names are unique ignoring case, because SQL
 * readers match unquoted identifiers case-insensitively.
 *
 * <p>Each column also has an id that stays with it across the versions of its table
 * (docs/protocol.md, 4.9), so a reader can tell which column of an old batch is which column
 * of a newer table, whatever their names and positions. Ids are unique, 0 to {@link
 * #COLUMN_ID_MAX}; a schema made without them numbers its columns by position (0, 1, ...),
 * which is what every manifest before format 4 means.
 */
public final class TableSchema {
  /** Most columns a table may have. */
  public static final int COLUMNS_MAX = 1024;
  /** Largest column id (ids travel as u32 and must fit a Java int). */
  public static final int COLUMN_ID_MAX = Integer.MAX_VALUE;

  private final List<Column> columns;
  private final List<Integer> ids;
  /** Index of each id, so a reader maps an old batch's columns in constant time per column. */
  private final Map<Integer, Integer> indexById;

  /**
   * Creates a schema of 1 to {@link #COLUMNS_MAX} columns with case-insensitively unique names,
   * numbered by position.
   */
  public TableSchema(List<Column> columns) {
    this(columns, positions(columns.size()));
  }

  /** Creates a schema whose column i has the id {@code ids.get(i)}; ids are unique, ≥ 0. */
  public TableSchema(List<Column> columns, List<Integer> ids) {
    if (columns.isEmpty() || columns.size() > COLUMNS_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "a table has 1 to " + COLUMNS_MAX + " columns, not " + columns.size());
    }
    if (ids.size() != columns.size()) {
      throw new IllegalArgumentException(ids.size() + " ids for " + columns.size() + " columns");
    }
    Set<String> seen = new HashSet<>();
    for (Column c : columns) {
      if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "duplicate column name '" + c.name() + "'");
      }
    }
    Map<Integer, Integer> byId = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      Integer id = ids.get(i);
      if (id == null || id < 0 || byId.put(id, i) != null) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "column ids must be unique and 0 to "
            + COLUMN_ID_MAX + ": " + ids);
      }
    }
    this.indexById = Map.copyOf(byId);
    this.columns = List.copyOf(columns);
    this.ids = List.copyOf(ids);
  }

  private static List<Integer> positions(int count) {
    List<Integer> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(i);
    }
    return ids;
  }

  /** Returns the Cairn schema of an Arrow schema, or throws BAD_FORMAT for types it lacks. */
  public static TableSchema fromArrow(Schema arrow) {
    List<Column> columns = new ArrayList<>();
    for (Field f : arrow.getFields()) {
      if (!f.getChildren().isEmpty()) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "nested column '" + f.getName()
            + "' is not supported");
      }
      ColumnType type = ColumnType.fromArrow(f.getType());
      String extension = f.getMetadata().get(ARROW_EXTENSION_NAME);
      if (type.kind() == ColumnType.Kind.UUID && extension != null
          && !ARROW_UUID_EXTENSION.equals(extension)) {
        // e.g. DuckDB's HUGEINT, exported as arrow.opaque on FixedSizeBinary(16)
        throw new CairnException(ErrorCode.BAD_FORMAT, "column '" + f.getName()
            + "' is the Arrow extension type " + extension + ", which has no Cairn type");
      }
      columns.add(new Column(f.getName(), type, f.isNullable()));
    }
    return new TableSchema(columns);
  }

  /** The field metadata key that names an Arrow extension type. */
  public static final String ARROW_EXTENSION_NAME = "ARROW:extension:name";

  /** Arrow's canonical extension type of a UUID held as FixedSizeBinary(16). */
  public static final String ARROW_UUID_EXTENSION = "arrow.uuid";

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

  /** Returns the column ids, in column order. */
  public List<Integer> columnIds() {
    return ids;
  }

  /** Returns the id of the column at {@code index}. */
  public int columnId(int index) {
    return ids.get(index);
  }

  /** Returns the index of the column with id {@code id}, or -1 if this schema has none. */
  public int indexOfId(int id) {
    return indexById.getOrDefault(id, -1);
  }

  /** Returns true if every column's id is its position: what formats 1 to 3 can express. */
  public boolean hasPositionalIds() {
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i) != i) {
        return false;
      }
    }
    return true;
  }

  /** Returns the index of the column named {@code name} exactly, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the schema of the columns at {@code indexes} (strictly increasing), in that order:
   * what a batch decoded with only those columns carries.
   */
  public TableSchema project(int[] indexes) {
    List<Column> projected = new ArrayList<>(indexes.length);
    List<Integer> projectedIds = new ArrayList<>(indexes.length);
    int previous = -1;
    for (int index : indexes) {
      if (index <= previous || index >= columns.size()) {
        throw new IllegalArgumentException("column indexes must increase within 0.."
            + (columns.size() - 1) + ": " + java.util.Arrays.toString(indexes));
      }
      projected.add(columns.get(index));
      projectedIds.add(ids.get(index));
      previous = index;
    }
    return new TableSchema(projected, projectedIds);
  }

  public int size() {
    return columns.size();
  }

  public Column column(int index) {
    return columns.get(index);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableSchema && columns.equals(((TableSchema) o).columns)
        && ids.equals(((TableSchema) o).ids);
  }

  @Override
  public int hashCode() {
    return columns.hashCode() * 31 + ids.hashCode();
  }

  @Override
  public String toString() {
    return hasPositionalIds() ? columns.toString()
        : columns.toString() + " with ids " + ids.toString();
  }
}
