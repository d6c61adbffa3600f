package dev.cairn.spark;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.OptionalLong;

/**
 * A Cairn table as a Spark user names it: {@code schema.table}, optionally pinned to one
 * version as {@code schema.table$v3} (the spelling the JDBC driver reads too).
 *
 * @param schema the writer's schema (name claimed by its key)
 * @param table the table within the schema
 * @param version the version to read, or empty for the newest head
 */
public record TableRef(String schema, String table, OptionalLong version) {
  /** Parses {@code schema.table} or {@code schema.table$vN}; BAD_FORMAT otherwise. */
  public static TableRef parse(String name) {
    if (name == null) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "no table given: load(\"schema.table\") or option(\"path\", ...)");
    }
    int dot = name.indexOf('.');
    if (dot <= 0 || dot == name.length() - 1 || name.indexOf('.', dot + 1) >= 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "table name '" + name
          + "' is not schema.table");
    }
    return of(name.substring(0, dot), name.substring(dot + 1));
  }

  /** Returns the table {@code table} (which may end in {@code $vN}) of {@code schema}. */
  public static TableRef of(String schema, String table) {
    int mark = table.lastIndexOf("$v");
    if (mark > 0 && mark + 2 < table.length()
        && table.substring(mark + 2).chars().allMatch(Character::isDigit)) {
      return new TableRef(schema, table.substring(0, mark),
          OptionalLong.of(parseVersion(table.substring(mark + 2))));
    }
    return new TableRef(schema, table, OptionalLong.empty());
  }

  /** Parses a version number as {@code VERSION AS OF} gives it; BAD_FORMAT unless 1 or more. */
  public static long parseVersion(String text) {
    try {
      long version = Long.parseLong(text.trim());
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CairnException(ErrorCode.BAD_FORMAT, "table version '" + text
        + "' is not a number of 1 or more");
  }

  /** Returns this name pinned to {@code v}. */
  public TableRef atVersion(long v) {
    return new TableRef(schema, table, OptionalLong.of(v));
  }

  @Override
  public String toString() {
    return schema + "." + table + (version.isPresent() ? "$v" + version.getAsLong() : "");
  }
}
