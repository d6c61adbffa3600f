package dev.cairn.wire;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/** A named, typed column of a table, as its manifest declares it. */
public final class Column {
  /** Longest column name, in UTF-8 bytes. */
  public static final int NAME_BYTES_MAX = 255;

  private final String name;
  private final ColumnType type;
  private final boolean nullable;

  /** Creates a column; the name must be 1 to 255 UTF-8 bytes. */
  public Column(String name, ColumnType type, boolean nullable) {
    this.name = requireNonNull(name, "name");
    this.type = requireNonNull(type, "type");
    this.nullable = nullable;
    int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > NAME_BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "column name must be 1 to " + NAME_BYTES_MAX + " UTF-8 bytes: '" + name + "'");
    }
  }

  public String name() {
    return name;
  }

  public ColumnType type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Column)) {
      return false;
    }
    Column c = (Column) o;
    return name.equals(c.name) && type.equals(c.type) && nullable == c.nullable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, nullable);
  }

  @Override
  public String toString() {
    return name + " " + type + (nullable ? "" : " NOT NULL");
  }
}
