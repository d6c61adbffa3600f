package dev.cairn.ingest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import dev.cairn.wire.Column;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A CSV file's dialect as DuckDB's sniffer ({@code sniff_csv}) finds it from a sample: the
 * delimiter (unless given), the quote, and whether the first line is a header.
 *
 * <p>The sniffer may not skip lines ({@code skip = 0}): left to itself it skips the lines
 * before a ragged row and reads the rest as the table, dropping rows without a word.
 * It is not trusted with a file it reads as one column whose header holds a common
 * delimiter: that is what it answers for a ragged file (a row with too few fields), which would
 * otherwise publish quietly as one VARCHAR column. Such a file, or one the sniffer gives up on
 * with a delimiter known, gets the plain dialect with that delimiter ({@link #sniffed} false),
 * read strictly, so that a ragged row fails by its line.
 *
 * @param delimiter the field separator; may be longer than one character
 * @param quote the quote character, empty for none
 * @param header whether the first line names the columns
 * @param sniffed false for the plain dialect chosen after the sniffer failed
 */
record CsvDialect(String delimiter, String quote, boolean header, boolean sniffed) {
  /** Delimiters looked for in a one-column header, most common first. */
  private static final List<String> COMMON_DELIMITERS = List.of(",", ";", "\t", "|");

  /**
   * Sniffs {@code file}, compressed as {@code compression} says, with {@code delimiter} if the
   * user gave one (null: sniffed too); BAD_FORMAT naming the file when DuckDB cannot and no
   * delimiter is known.
   */
  static CsvDialect sniff(Path file, InputFormat.Compression compression, Character delimiter) {
    String given = delimiter == null ? null : delimiter.toString();
    try (Connection connection = DuckDbInput.connect();
        Statement statement = connection.createStatement()) {
      try (ResultSet row = statement.executeQuery(sniffSql(file, compression, given))) {
        if (!row.next()) {
          throw new SQLException("sniff_csv returned no row");
        }
        String quote = row.getString(2);
        boolean header = row.getBoolean(3);
        String firstName = row.getString(5);
        if (given == null && row.getLong(4) == 1 && header) {
          String hidden = commonDelimiterIn(firstName);
          if (hidden != null) {
            return new CsvDialect(hidden, "\"", true, false);
          }
        }
        return new CsvDialect(row.getString(1),
            quote == null || "\0".equals(quote) ? "" : quote, header, true);
      } catch (SQLException e) {
        if (given != null) {
          return new CsvDialect(given, "\"", true, false);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw DuckDbInput.failure(file, e);
    }
  }

  private static String sniffSql(Path file, InputFormat.Compression compression, String given) {
    StringBuilder sql = new StringBuilder("SELECT Delimiter, Quote, HasHeader, len(Columns), "
        + "Columns[1].name FROM sniff_csv(").append(DuckDbInput.literal(file.toString()))
        .append(", compression = ").append(DuckDbInput.literal(compression.duckDbName))
        .append(", skip = 0");
    if (given != null) {
      sql.append(", delim = ").append(DuckDbInput.literal(given));
    }
    return sql.append(')').toString();
  }

  private static String commonDelimiterIn(String headerLine) {
    for (String candidate : COMMON_DELIMITERS) {
      if (headerLine != null && headerLine.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Whether the client's own CSV reader reads this dialect: a header, one delimiter, '"'. */
  boolean ownReaderReads() {
    return header && delimiter.length() == 1 && ("\"".equals(quote) || quote.isEmpty());
  }

  /**
   * Returns read_csv's dialect arguments, after the file and compression. The plain dialect
   * turns DuckDB's sniffing off, so it needs the columns: {@code schema}'s, else the header's
   * names as VARCHAR.
   */
  String readCsvArguments(Path file, InputFormat.Compression compression, TableSchema schema) {
    String arguments = ", delim = " + DuckDbInput.literal(delimiter) + ", header = " + header
        + ", skip = 0";
    if (sniffed) {
      return schema == null ? arguments : arguments + ", columns = " + columns(schema);
    }
    arguments += ", auto_detect = false, quote = '\"', escape = '\"'";
    return arguments + ", columns = " + (schema != null ? columns(schema)
        : varcharColumns(headerNames(file, compression)));
  }

  /** Returns {@code {'name': 'TYPE', ...}}: read_csv's columns, in the schema's order. */
  private static String columns(TableSchema schema) {
    StringJoiner columns = new StringJoiner(", ", "{", "}");
    for (Column column : schema.columns()) {
      columns.add(DuckDbInput.literal(column.name()) + ": "
          + DuckDbInput.literal(column.type().toSql()));
    }
    return columns.toString();
  }

  private static String varcharColumns(List<String> names) {
    StringJoiner columns = new StringJoiner(", ", "{", "}");
    for (String name : names) {
      columns.add(DuckDbInput.literal(name) + ": 'VARCHAR'");
    }
    return columns.toString();
  }

  /** Returns the header line's names split at the delimiter, quotes around a name dropped. */
  private List<String> headerNames(Path file, InputFormat.Compression compression) {
    String sql = "SELECT line FROM read_csv(" + DuckDbInput.literal(file.toString())
        + ", compression = " + DuckDbInput.literal(compression.duckDbName)
        + ", auto_detect = false, header = false, delim = '\u0001', quote = '', "
        + "columns = {'line': 'VARCHAR'}) LIMIT 1";
    try (Connection connection = DuckDbInput.connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      String line = row.next() && row.getString(1) != null ? row.getString(1) : "";
      List<String> names = new ArrayList<>();
      for (String name : line.split(Pattern.quote(delimiter), -1)) {
        String trimmed = name.strip();
        names.add(trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
            ? trimmed.substring(1, trimmed.length() - 1).replace("\"\"", "\"") : trimmed);
      }
      return names;
    } catch (SQLException e) {
      throw DuckDbInput.failure(file, e);
    }
  }
}
