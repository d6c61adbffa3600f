package dev.cairn.client.input;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Guesses column types from sample rows: the narrowest of BIGINT, DOUBLE, DATE, TIMESTAMP,
 * BOOLEAN that every non-empty sample value parses as, else VARCHAR. A column with no values
 * at all is VARCHAR. Every inferred column is nullable, since rows after the sample may be
 * empty there.
 */
final class TypeInference {
  private static final int BIGINT = 0;
  private static final int DOUBLE = 1;
  private static final int DATE = 2;
  private static final int TIMESTAMP = 3;
  private static final int BOOLEAN = 4;
  private static final int CANDIDATES = 5;

  private final List<String> names;
  /** Per column, which candidate types every value so far parsed as. */
  private final boolean[][] possible;
  private final boolean[] seen;

  TypeInference(List<String> names) {
    this.names = List.copyOf(names);
    possible = new boolean[names.size()][CANDIDATES];
    seen = new boolean[names.size()];
    for (boolean[] column : possible) {
      java.util.Arrays.fill(column, true);
    }
  }

  /** Takes one record's fields (null = empty). */
  void add(List<String> fields) {
    for (int c = 0; c < names.size(); c++) {
      String text = fields.get(c);
      if (text == null || text.isEmpty()) {
        continue;
      }
      seen[c] = true;
      boolean[] p = possible[c];
      String t = text.trim();
      p[BIGINT] = p[BIGINT] && parses(() -> TextValues.parseLong(t));
      p[DOUBLE] = p[DOUBLE] && parses(() -> TextValues.parseDouble(t));
      p[DATE] = p[DATE] && parses(() -> TextValues.parseEpochDay(t));
      p[TIMESTAMP] = p[TIMESTAMP] && parses(() -> TextValues.parseEpochMicros(t));
      p[BOOLEAN] = p[BOOLEAN] && parses(() -> TextValues.parseBoolean(t));
    }
  }

  TableSchema schema() {
    List<Column> columns = new ArrayList<>(names.size());
    for (int c = 0; c < names.size(); c++) {
      columns.add(new Column(names.get(c), typeOf(c), true));
    }
    return new TableSchema(columns);
  }

  private ColumnType typeOf(int column) {
    boolean[] p = possible[column];
    if (!seen[column]) {
      return ColumnType.VARCHAR;
    }
    if (p[BIGINT]) {
      return ColumnType.BIGINT;
    }
    if (p[DOUBLE]) {
      return ColumnType.DOUBLE;
    }
    if (p[DATE]) {
      return ColumnType.DATE;
    }
    if (p[TIMESTAMP]) {
      return ColumnType.TIMESTAMP;
    }
    return p[BOOLEAN] ? ColumnType.BOOLEAN : ColumnType.VARCHAR;
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
