package dev.cairn.client.input;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ColumnType.Kind;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Guesses column types from sample rows: the narrowest of BIGINT, DOUBLE, DATE, TIMESTAMP,
 * TIMESTAMPTZ (a timestamp with an offset somewhere in the column), BOOLEAN, UUID that every
 * non-empty sample value parses as, else VARCHAR. A column with no values
 * at all is VARCHAR. Every inferred column is nullable, since rows after the sample may be
 * empty there.
 */
final class TypeInference {
  /** The types a column may be inferred as, narrowest first; VARCHAR takes everything else. */
  private static final List<ColumnType> CANDIDATES = List.of(ColumnType.BIGINT,
      ColumnType.DOUBLE, ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TIMESTAMPTZ,
      ColumnType.BOOLEAN, ColumnType.UUID);

  private final List<String> names;
  /** Per column, the kinds of the candidates every value so far parsed as. */
  private final List<EnumSet<Kind>> possible;
  private final boolean[] seen;

  TypeInference(List<String> names) {
    this.names = List.copyOf(names);
    possible = new ArrayList<>(names.size());
    for (int c = 0; c < names.size(); c++) {
      EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
      CANDIDATES.forEach(type -> kinds.add(type.kind()));
      possible.add(kinds);
    }
    seen = new boolean[names.size()];
  }

  /** Takes one record's fields (null = empty). */
  void add(List<String> fields) {
    for (int c = 0; c < names.size(); c++) {
      String text = fields.get(c);
      if (text == null || text.isEmpty()) {
        continue;
      }
      seen[c] = true;
      String t = text.trim();
      possible.get(c).removeIf(kind -> !parses(kind, t));
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
    if (!seen[column]) {
      return ColumnType.VARCHAR;
    }
    for (ColumnType candidate : CANDIDATES) {
      if (possible.get(column).contains(candidate.kind())) {
        return candidate;
      }
    }
    return ColumnType.VARCHAR;
  }

  /** Returns true if {@code text} is a value of {@code kind} as {@link ColumnWriter} reads it. */
  private static boolean parses(Kind kind, String text) {
    try {
      Object value = switch (kind) {
        case BIGINT -> TextValues.parseLong(text);
        case INTEGER -> TextValues.parseInt(text);
        case DOUBLE -> TextValues.parseDouble(text);
        case DECIMAL -> TextValues.parseDecimal(text);
        case DATE -> TextValues.parseEpochDay(text);
        case TIMESTAMP -> TextValues.parseEpochMicros(text);
        case VARCHAR -> text;
        case BOOLEAN -> TextValues.parseBoolean(text);
        case TIMESTAMPTZ -> TextValues.parseInstantMicros(text);
        case SMALLINT -> TextValues.parseShort(text);
        case TINYINT -> TextValues.parseByte(text);
        case REAL -> TextValues.parseFloat(text);
        case TIME -> TextValues.parseMicrosOfDay(text);
        case VARBINARY -> TextValues.parseBlob(text);
        case UUID -> TextValues.parseUuid(text);
      };
      return value != null;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
