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
   * read_csv's buffer for the UUID sample: about DuckDB's longest line (2,000,000 bytes by
   * default), so every line it reads fits, but not its default of 16 times that, which it fills
   * and parses whole before the LIMIT stops it (measured on lineitem: about 0.2 s against 0.1 s
   * of CPU). The rows read are the same.
   */
  private static final long SAMPLE_BUFFER_BYTES = 2L << 20;

  /**
   * Returns the types {@code sniff} (a sniffed dialect's) names for {@code file}, UUID columns
   * found by a sample read on {@code connection}; or null if DuckDB names a type Cairn does not
   * have (then inference stays as before).
   */
  static CsvTypes of(Connection connection, Path file, InputFormat.Compression compression,
      CsvSniff sniff) {
    List<ColumnType> types = new ArrayList<>(sniff.types().size());
    try {
      for (String type : sniff.types()) {
        types.add(ColumnType.parse(type));
      }
    } catch (CairnException unknownType) {
      return null;
    }
    try (Statement statement = connection.createStatement()) {
      markUuids(statement, sampleSource(file, compression, sniff), sniff.names(), types);
    } catch (SQLException e) {
      throw DuckDbInput.failure(file, e);
    }
    List<Column> columns = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      columns.add(new Column(sniff.names().get(i), types.get(i), true));
    }
    String date = sniff.dateFormat();
    boolean isoTemporal = (date == null || ISO_DATE.equals(date))
        && sniff.timestampFormat() == null;
    return new CsvTypes(new TableSchema(columns), isoTemporal);
  }

  /**
   * The file read as sniffed, every column as text, without sniffing it again: the sample's
   * values are the text DuckDB's sniffed reading gives each VARCHAR column.
   */
  private static String sampleSource(Path file, InputFormat.Compression compression,
      CsvSniff sniff) {
    return "read_csv(" + DuckDbInput.literal(file.toString()) + ", compression = "
        + DuckDbInput.literal(compression.duckDbName) + sniff.varcharArguments()
        + ", buffer_size = " + SAMPLE_BUFFER_BYTES + ")";
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
}
