package dev.cairn.ingest;

import dev.cairn.client.input.CsvOptions;
import dev.cairn.client.input.InputOpener;
import dev.cairn.client.input.Inputs;
import dev.cairn.client.input.TableInput;
import dev.cairn.wire.Column;
import dev.cairn.wire.TableSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.StringJoiner;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Opens any input the cli publishes: Arrow IPC and plain CSV with the client's own readers,
 * everything else (Parquet, NDJSON, gzip or zstd CSV, CSV in a dialect ours does not read)
 * through DuckDB ({@link DuckDbInput}).
 *
 * <p>Plain CSV stays with our reader when DuckDB's sniffer finds a header, a one-character
 * delimiter and '"' quotes (and ISO dates): measured, it is not slower than DuckDB's, and it
 * names a bad value by line (docs/decisions.md, "Publishing CSV"). Without a given schema the
 * types of every CSV, plain or compressed, are DuckDB's sniffed ones ({@link CsvTypes}), so
 * the same text gets the same schema whichever reader parses it. A given schema ({@code --schema}, or the
 * table's previous one) overrides inference for every format: CSV is parsed into its types by
 * position, other formats cast to them by column name.
 */
public final class IngestOpener implements InputOpener {
  /** The user's delimiter, or null to sniff it. */
  private final Character delimiter;

  /** Creates an opener; {@code delimiter} is the CSV delimiter given, or null to sniff it. */
  public IngestOpener(Character delimiter) {
    this.delimiter = delimiter;
  }

  @Override
  public TableInput open(Path file, TableSchema schema, BufferAllocator allocator,
      int chunkBytes) {
    InputFormat.Detected detected = InputFormat.detect(file);
    return switch (detected.format()) {
      case ARROW -> Inputs.open(file, CsvOptions.defaults(), allocator);
      case PARQUET -> DuckDbInput.open(file, castByName("read_parquet("
          + DuckDbInput.literal(file.toString()) + ")", schema), allocator);
      case NDJSON -> DuckDbInput.open(file, castByName(json(file, detected), schema), allocator);
      case CSV -> openCsv(file, detected.compression(), schema, allocator, chunkBytes);
    };
  }

  /**
   * Opens a CSV file after one sniff, on one DuckDB connection: the sniff, the UUID sample and,
   * when DuckDB parses the file, the reading itself, which then owns the connection.
   */
  private TableInput openCsv(Path file, InputFormat.Compression compression, TableSchema schema,
      BufferAllocator allocator, int chunkBytes) {
    Connection connection = connect(file);
    boolean handedOver = false;
    try {
      CsvSniff sniff = CsvSniff.of(connection, file, compression, delimiter);
      CsvDialect dialect = sniff.dialect();
      boolean ownReader = compression == InputFormat.Compression.NONE
          && dialect.ownReaderReads();
      if (schema == null && dialect.sniffed()) {
        CsvTypes sniffed = CsvTypes.of(connection, file, compression, sniff);
        if (sniffed != null) {
          schema = sniffed.schema();
          ownReader &= sniffed.isoTemporal();
        }
      }
      if (ownReader) {
        char separator = dialect.delimiter().charAt(0);
        CsvOptions options = new CsvOptions(separator, schema, CsvOptions.SAMPLE_ROWS_DEFAULT);
        return Inputs.openForParallelDecode(file, options, allocator, chunkBytes);
      }
      String sql = "SELECT * FROM read_csv(" + DuckDbInput.literal(file.toString())
          + ", compression = " + DuckDbInput.literal(compression.duckDbName)
          + dialect.readCsvArguments(connection, file, compression, schema) + ")";
      handedOver = true;
      return DuckDbInput.open(connection, file, sql, allocator);
    } finally {
      if (!handedOver) {
        DuckDbInput.closeQuietly(connection);
      }
    }
  }

  private static Connection connect(Path file) {
    try {
      return DuckDbInput.connect();
    } catch (SQLException e) {
      throw DuckDbInput.failure(file, e);
    }
  }

  private static String json(Path file, InputFormat.Detected detected) {
    return "read_json(" + DuckDbInput.literal(file.toString()) + ", compression = "
        + DuckDbInput.literal(detected.compression().duckDbName) + ")";
  }

  /** Returns a query of {@code source}, each schema column cast to its type (null: as is). */
  private static String castByName(String source, TableSchema schema) {
    if (schema == null) {
      return "SELECT * FROM " + source;
    }
    StringJoiner select = new StringJoiner(", ", "SELECT ", " FROM " + source);
    for (Column column : schema.columns()) {
      String name = DuckDbInput.identifier(column.name());
      select.add("CAST(" + name + " AS " + column.type().toSql() + ") AS " + name);
    }
    return select.toString();
  }
}
