package dev.cairn.client.input;

import dev.cairn.wire.TableSchema;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Opens one input file of a publish as table input. The client's own opener ({@link
 * #builtIn}) reads CSV and Arrow IPC; a caller with more readers (the cli's DuckDB-backed
 * {@code dev.cairn.ingest} module: Parquet, NDJSON, compressed CSV) passes its own, so client
 * itself needs no DuckDB.
 */
@FunctionalInterface
public interface InputOpener {
  /**
   * Opens {@code file}; {@code schema} is the schema the rows must have (explicit, or the
   * table's previous one), or null to infer it; groups of about {@code chunkBytes} of text may
   * be handed out undecoded ({@link TableInput#nextDeferred}).
   */
  TableInput open(Path file, TableSchema schema, BufferAllocator allocator, int chunkBytes);

  /** Returns the client's own opener: Arrow IPC by extension, else CSV with {@code delimiter}. */
  static InputOpener builtIn(char delimiter) {
    return (file, schema, allocator, chunkBytes) -> Inputs.openForParallelDecode(file,
        new CsvOptions(delimiter, schema, CsvOptions.SAMPLE_ROWS_DEFAULT), allocator, chunkBytes);
  }
}
