package dev.cairn.client.input;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses a schema as users write it: {@code "id BIGINT, price DECIMAL(15,2) NOT NULL, ..."}.
 * Columns are separated by commas outside parentheses; each is a name, a SQL type ({@link
 * ColumnType#parse}) and an optional {@code NOT NULL} (columns are nullable otherwise).
 */
public final class SchemaSpec {
  private static final String NOT_NULL = "NOT NULL";

  private SchemaSpec() {}

  public static TableSchema parse(String spec) {
    List<Column> columns = new ArrayList<>();
    for (String part : splitTopLevel(spec)) {
      String column = part.trim();
      int space = firstBlank(column);
      if (column.isEmpty() || space < 0) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "schema column '" + column
            + "' must be 'name TYPE'");
      }
      String name = column.substring(0, space);
      String type = column.substring(space + 1).trim();
      boolean nullable = true;
      String upper = type.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
      if (upper.endsWith(" " + NOT_NULL)) {
        nullable = false;
        type = type.substring(0, upper.length() - NOT_NULL.length() - 1).trim();
      }
      columns.add(new Column(name, ColumnType.parse(type), nullable));
    }
    return new TableSchema(columns);
  }

  private static int firstBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> splitTopLevel(String spec) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(spec.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(spec.substring(start));
    return parts;
  }
}
