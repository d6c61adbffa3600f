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
 * A CSV file's dialect as DuckDB's sniffer found it ({@link CsvSniff}): the delimiter (unless
 * given), the quote, and whether the first line is a header; or the plain dialect with a known
 * delimiter, chosen when the sniffer is not trusted ({@code sniffed} false).
 *
 * @param delimiter the field separator; may be longer than one character
 * @param quote the quote character, empty for none
 * @param header whether the first line names the columns
 * @param sniffed false for the plain dialect chosen after the sniffer failed
 */
record CsvDialect(String delimiter, String quote, boolean header, boolean sniffed) {
  /** Whether the client's own CSV reader reads this dialect: a header, one delimiter, '"'. */
  boolean ownReaderReads() {
    return header && delimiter.length() == 1 && ("\"".equals(quote) || quote.isEmpty());
  }

  /**
   * Returns read_csv's dialect arguments, after the file and compression. The plain dialect
   * turns DuckDB's sniffing off, so it needs the columns: {@code schema}'s, else the header's
   * names as VARCHAR, read on {@code connection}.
   */
  String readCsvArguments(Connection connection, Path file, InputFormat.Compression compression,
      TableSchema schema) {
    String arguments = ", delim = " + DuckDbInput.literal(delimiter) + ", header = " + header
        + ", skip = 0";
    if (sniffed) {
      return schema == null ? arguments : arguments + ", columns = " + columns(schema);
    }
    arguments += ", auto_detect = false, quote = '\"', escape = '\"'";
    return arguments + ", columns = " + (schema != null ? columns(schema)
        : varcharColumns(headerNames(connection, file, compression)));
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

  /** Returns {@code {'name': 'VARCHAR', ...}}: read_csv's columns, every one as text. */
  static String varcharColumns(List<String> names) {
    StringJoiner columns = new StringJoiner(", ", "{", "}");
    for (String name : names) {
      columns.add(DuckDbInput.literal(name) + ": 'VARCHAR'");
    }
    return columns.toString();
  }

  /** Returns the header line's names split at the delimiter, quotes around a name dropped. */
  private List<String> headerNames(Connection connection, Path file,
      InputFormat.Compression compression) {
    String sql = "SELECT line FROM read_csv(" + DuckDbInput.literal(file.toString())
        + ", compression = " + DuckDbInput.literal(compression.duckDbName)
        + ", auto_detect = false, header = false, delim = '\u0001', quote = '', "
        + "columns = {'line': 'VARCHAR'}) LIMIT 1";
    try (Statement statement = connection.createStatement();
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
