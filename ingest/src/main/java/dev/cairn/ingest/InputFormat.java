package dev.cairn.ingest;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What an input file holds, told by its first bytes where a format has a magic number (Parquet,
 * Arrow IPC file, gzip, zstd) and by its name otherwise ({@code .ndjson}, {@code .jsonl},
 * {@code .json}; anything else is CSV). The bytes win over the name, so a gzip file named
 * {@code .csv} is still read as gzip, and a {@code .gz} file that is not gzip is refused.
 */
enum InputFormat {
  CSV, PARQUET, NDJSON, ARROW;

  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};
  private static final byte[] ARROW_MAGIC = {'A', 'R', 'R', 'O', 'W', '1'};
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

  /** How a text input is compressed, named as DuckDB's {@code compression} option names it. */
  enum Compression {
    NONE("none"), GZIP("gzip"), ZSTD("zstd");

    final String duckDbName;

    Compression(String duckDbName) {
      this.duckDbName = duckDbName;
    }
  }

  /** A file's format and compression. */
  record Detected(InputFormat format, Compression compression) {}

  /** Returns what {@code file} holds; BAD_FORMAT when its name promises another compression. */
  static Detected detect(Path file) {
    byte[] head = firstBytes(file);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Compression named = Compression.NONE;
    if (name.endsWith(".gz") || name.endsWith(".gzip")) {
      named = Compression.GZIP;
    } else if (name.endsWith(".zst") || name.endsWith(".zstd")) {
      named = Compression.ZSTD;
    }
    Compression actual = startsWith(head, GZIP_MAGIC) ? Compression.GZIP
        : startsWith(head, ZSTD_MAGIC) ? Compression.ZSTD : Compression.NONE;
    if (named != Compression.NONE && actual != named) {
      throw new CairnException(ErrorCode.BAD_FORMAT, file + ": the name says " + named.duckDbName
          + " but the content is " + (actual == Compression.NONE ? "not compressed with it"
          : actual.duckDbName));
    }
    if (actual == Compression.NONE && startsWith(head, PARQUET_MAGIC)) {
      return new Detected(PARQUET, Compression.NONE);
    }
    if (actual == Compression.NONE && startsWith(head, ARROW_MAGIC)) {
      return new Detected(ARROW, Compression.NONE);
    }
    String base = named == Compression.NONE ? name : name.substring(0, name.lastIndexOf('.'));
    InputFormat format = CSV;
    if (base.endsWith(".parquet") || base.endsWith(".pq")) {
      format = PARQUET; // without the magic: DuckDB names what is wrong with the file
    } else if (base.endsWith(".ndjson") || base.endsWith(".jsonl") || base.endsWith(".json")) {
      format = NDJSON;
    } else if (base.endsWith(".arrow") || base.endsWith(".arrows") || base.endsWith(".ipc")
        || base.endsWith(".feather")) {
      format = ARROW;
    }
    if ((format == PARQUET || format == ARROW) && actual != Compression.NONE) {
      throw new CairnException(ErrorCode.BAD_FORMAT, file + ": a compressed " + format
          + " file is not read; decompress it first");
    }
    return new Detected(format, actual);
  }

  private static byte[] firstBytes(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(ARROW_MAGIC.length);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "cannot read input file " + file + ": "
          + e.getMessage(), e);
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
