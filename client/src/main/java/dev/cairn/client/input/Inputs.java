package dev.cairn.client.input;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Opens an input file by its extension: {@code .arrow}, {@code .arrows}, {@code .ipc}, {@code
 * .feather} as Arrow IPC; {@code .parquet} is refused (no Hadoop-free reader is in the stack
 * yet); anything else is CSV.
 */
public final class Inputs {
  private Inputs() {}

  public static TableInput open(Path file, CsvOptions csv, BufferAllocator allocator) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".parquet")) {
      throw new CairnException(ErrorCode.BAD_FORMAT, file + ": Parquet input is not supported "
          + "yet; convert it to CSV or Arrow IPC");
    }
    if (name.endsWith(".arrow") || name.endsWith(".arrows") || name.endsWith(".ipc")
        || name.endsWith(".feather")) {
      return ArrowInput.open(file, allocator);
    }
    return CsvReader.open(file, csv, allocator);
  }

  /**
   * Opens {@code file} like {@link #open(Path, CsvOptions, BufferAllocator)}, but a CSV file
   * (with an ASCII delimiter) as a {@link CsvChunkInput}, whose groups of about {@code
   * csvChunkBytes} of text are parsed by whoever decodes them.
   */
  public static TableInput openForParallelDecode(Path file, CsvOptions csv,
      BufferAllocator allocator, int csvChunkBytes) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean arrow = name.endsWith(".arrow") || name.endsWith(".arrows")
        || name.endsWith(".ipc") || name.endsWith(".feather") || name.endsWith(".parquet");
    if (arrow || !CsvChunker.supports(csv.delimiter())) {
      return open(file, csv, allocator);
    }
    return CsvChunkInput.open(file, csv, allocator, csvChunkBytes);
  }
}
