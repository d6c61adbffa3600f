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
}
