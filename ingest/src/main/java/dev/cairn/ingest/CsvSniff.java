package dev.cairn.ingest;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one {@code sniff_csv} call tells about a CSV file: the dialect ({@link
 * CsvDialect}), the escape and comment characters, the line end, and the columns' names,
 * DuckDB types and date and timestamp formats. One call on the caller's connection, because
 * each sniff reads and tries the file's first rows again: measured on lineitem, about 0.2 s of
 * CPU per call, and a publish used to sniff four times (dialect, {@code DESCRIBE}, the UUID
 * sample's {@code read_csv}, the date formats) before its first batch.
 *
 * <p>The sniffer may not skip lines ({@code skip = 0}): left to itself it skips the lines
 * before a ragged row and reads the rest as the table, dropping rows without a word. It is not
 * trusted with a file it reads as one column whose header holds a common delimiter: that is
 * what it answers for a ragged file (a row with too few fields), which would otherwise publish
 * quietly as one VARCHAR column. Such a file, or one the sniffer gives up on with a delimiter
 * known, gets the plain dialect with that delimiter ({@code sniffed} false) and no columns,
 * read strictly, so that a ragged row fails by its line.
 *
 * @param dialect the delimiter, quote and header
 * @param escape the escape character, empty for none
 * @param comment the comment character, empty for none
 * @param newLine the line end as read_csv's {@code new_line} option spells it ({@code \r\n})
 * @param names the column names, empty for the plain dialect
 * @param types the columns' DuckDB type names, in the order of {@code names}
 * @param dateFormat the date format DuckDB sniffed, or null
 * @param timestampFormat the timestamp format DuckDB sniffed, or null
 */
record CsvSniff(CsvDialect dialect, String escape, String comment, String newLine,
    List<String> names, List<String> types, String dateFormat, String timestampFormat) {
  /** Delimiters looked for in a one-column header, most common first. */
  private static final List<String> COMMON_DELIMITERS = List.of(",", ";", "\t", "|");
  /** What sniff_csv answers for a character the file does not have (no quote, no escape). */
  private static final String NONE = "(empty)";

  /** Copies the lists: a sniff is a value. */
  CsvSniff {
    names = List.copyOf(names);
    types = List.copyOf(types);
  }

  /**
   * Sniffs {@code file}, compressed as {@code compression} says, with {@code delimiter} if the
   * user gave one (null: sniffed too), on {@code connection}; BAD_FORMAT naming the file when
   * DuckDB cannot and no delimiter is known.
   */
  static CsvSniff of(Connection connection, Path file, InputFormat.Compression compression,
      Character delimiter) {
    String given = delimiter == null ? null : delimiter.toString();
    try (Statement statement = connection.createStatement()) {
      try (ResultSet row = statement.executeQuery(sql(file, compression, given))) {
        if (!row.next()) {
          throw new SQLException("sniff_csv returned no row");
        }
        return read(row, given);
      } catch (SQLException e) {
        if (given != null) {
          return plain(given);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw DuckDbInput.failure(file, e);
    }
  }

  private static CsvSniff read(ResultSet row, String given) throws SQLException {
    String quote = row.getString("Quote");
    boolean header = row.getBoolean("HasHeader");
    List<String> names = strings(row.getArray("names"));
    if (given == null && names.size() == 1 && header) {
      String hidden = commonDelimiterIn(names.get(0));
      if (hidden != null) {
        return plain(hidden);
      }
    }
    CsvDialect dialect = new CsvDialect(row.getString("Delimiter"),
        quote == null || "\0".equals(quote) ? "" : quote, header, true);
    return new CsvSniff(dialect, character(row.getString("Escape")),
        character(row.getString("Comment")), row.getString("NewLineDelimiter"), names,
        strings(row.getArray("types")), row.getString("DateFormat"),
        row.getString("TimestampFormat"));
  }

  /** The dialect chosen when the sniffer is not trusted: {@code delimiter}, '"', a header. */
  private static CsvSniff plain(String delimiter) {
    return new CsvSniff(new CsvDialect(delimiter, "\"", true, false), "\"", "", null,
        List.of(), List.of(), null, null);
  }

  private static String sql(Path file, InputFormat.Compression compression, String given) {
    StringBuilder sql = new StringBuilder("SELECT Delimiter, Quote, Escape, Comment, "
        + "NewLineDelimiter, HasHeader, list_transform(Columns, lambda c: c.name) AS names, "
        + "list_transform(Columns, lambda c: c.type) AS types, DateFormat, TimestampFormat "
        + "FROM sniff_csv(").append(DuckDbInput.literal(file.toString()))
        .append(", compression = ").append(DuckDbInput.literal(compression.duckDbName))
        .append(", skip = 0");
    if (given != null) {
      sql.append(", delim = ").append(DuckDbInput.literal(given));
    }
    return sql.append(')').toString();
  }

  private static List<String> strings(Array array) throws SQLException {
    List<String> values = new ArrayList<>();
    if (array != null) {
      for (Object value : (Object[]) array.getArray()) {
        values.add(value == null ? null : value.toString());
      }
    }
    return values;
  }

  /** Returns a sniffed escape or comment character, empty for none. */
  private static String character(String sniffed) {
    return sniffed == null || NONE.equals(sniffed) || "\0".equals(sniffed) ? "" : sniffed;
  }

  private static String commonDelimiterIn(String headerLine) {
    for (String candidate : COMMON_DELIMITERS) {
      if (headerLine != null && headerLine.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Returns read_csv's arguments, after the file and compression, that read this file exactly
   * as sniffed without sniffing again ({@code auto_detect = false}), every column as VARCHAR:
   * the text of each value as DuckDB's sniffed reading splits it, for samples of the text.
   */
  String varcharArguments() {
    String quote = NONE.equals(dialect.quote()) ? "" : dialect.quote();
    StringBuilder arguments = new StringBuilder(", auto_detect = false, skip = 0, delim = ")
        .append(DuckDbInput.literal(dialect.delimiter()))
        .append(", quote = ").append(DuckDbInput.literal(quote))
        .append(", escape = ").append(DuckDbInput.literal(escape))
        .append(", comment = ").append(DuckDbInput.literal(comment))
        .append(", header = ").append(dialect.header());
    if (newLine != null && !NONE.equals(newLine)) {
      arguments.append(", new_line = ").append(DuckDbInput.literal(newLine));
    }
    return arguments.append(", columns = ").append(CsvDialect.varcharColumns(names)).toString();
  }
}
