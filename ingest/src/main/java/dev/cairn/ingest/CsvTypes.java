package dev.cairn.ingest;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The column types of a CSV file without a given schema, decided once, by DuckDB's sniffer, for
 * every CSV whatever its compression: so {@code x.csv} (parsed by our own reader) and
 * {@code x.csv.gz} (parsed by DuckDB) get the same schema from the same text. To DuckDB's
 * types one rule is added, for both: a VARCHAR column whose every non-empty value in the
 * sniffer's sample casts to a UUID is a UUID column (DuckDB's CSV sniffer refuses UUID as a
 * candidate type, while its JSON reader infers it).
 *
 * @param schema the columns, all nullable
 * @param isoTemporal whether dates and timestamps are in the ISO forms our reader parses; if
 *     not, DuckDB parses the file (it sniffed the format, e.g. {@code %d/%m/%Y})
 */
record CsvTypes(TableSchema schema, boolean isoTemporal) {
  /** Rows the sniffer samples by default, and so the UUID rule too. */
  static final int SAMPLE_ROWS = 20_480;
  private static final String ISO_DATE = "%Y-%m-%d";

  /**
   * Returns the types DuckDB sniffs for {@code file} read with {@code dialect} (a sniffed one),
   * or null if DuckDB names a type Cairn does not have (then inference stays as before).
   */
  static CsvTypes sniff(Path file, InputFormat.Compression compression, CsvDialect dialect) {
    String source = "read_csv(" + DuckDbInput.literal(file.toString()) + ", compression = "
        + DuckDbInput.literal(compression.duckDbName)
        + dialect.readCsvArguments(file, compression, null) + ")";
    try (Connection connection = DuckDbInput.connect();
        Statement statement = connection.createStatement()) {
      List<String> names = new ArrayList<>();
      List<ColumnType> types = new ArrayList<>();
      try (ResultSet columns = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
        while (columns.next()) {
          names.add(columns.getString("column_name"));
          types.add(ColumnType.parse(columns.getString("column_type")));
        }
      }
      markUuids(statement, source, names, types);
      List<Column> columns = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        columns.add(new Column(names.get(i), types.get(i), true));
      }
      return new CsvTypes(new TableSchema(columns), isoTemporal(statement, file, compression,
          dialect));
    } catch (CairnException unknownType) {
      return null;
    } catch (SQLException e) {
      throw DuckDbInput.failure(file, e);
    }
  }

  /** Turns each VARCHAR column whose sampled non-empty values all cast to UUID into UUID. */
  private static void markUuids(Statement statement, String source, List<String> names,
      List<ColumnType> types) throws SQLException {
    StringBuilder counts = new StringBuilder();
    List<Integer> varchar = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (types.get(i).equals(ColumnType.VARCHAR)) {
        String name = DuckDbInput.identifier(names.get(i));
        counts.append(counts.length() == 0 ? "" : ", ").append("count(").append(name)
            .append("), count(TRY_CAST(").append(name).append(" AS UUID))");
        varchar.add(i);
      }
    }
    if (varchar.isEmpty()) {
      return;
    }
    try (ResultSet row = statement.executeQuery("SELECT " + counts + " FROM (SELECT * FROM "
        + source + " LIMIT " + SAMPLE_ROWS + ")")) {
      row.next();
      for (int k = 0; k < varchar.size(); k++) {
        long values = row.getLong(2 * k + 1);
        if (values > 0 && values == row.getLong(2 * k + 2)) {
          types.set(varchar.get(k), ColumnType.UUID);
        }
      }
    }
  }

  private static boolean isoTemporal(Statement statement, Path file,
      InputFormat.Compression compression, CsvDialect dialect) throws SQLException {
    String sql = "SELECT DateFormat, TimestampFormat FROM sniff_csv("
        + DuckDbInput.literal(file.toString()) + ", compression = "
        + DuckDbInput.literal(compression.duckDbName) + ", skip = 0, delim = "
        + DuckDbInput.literal(dialect.delimiter()) + ")";
    try (ResultSet row = statement.executeQuery(sql)) {
      if (!row.next()) {
        return false;
      }
      String date = row.getString(1);
      return (date == null || ISO_DATE.equals(date)) && row.getString(2) == null;
    }
  }
}
