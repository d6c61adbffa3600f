package dev.cairn.tpchdata;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** The file handling both benchmarks' generators share: one table's CSV, and its temp folder. */
public final class CsvFiles {
  private CsvFiles() {}

  /**
   * Writes {@code rows} as UTF-8 CSV ({@link CsvWriter}) after a header line to {@code file},
   * replacing it; returns how many rows it wrote.
   */
  public static long write(Path file, List<String> header, Iterator<? extends List<?>> rows)
      throws IOException {
    long count = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      CsvWriter csv = new CsvWriter(out);
      csv.writeRecord(header);
      while (rows.hasNext()) {
        csv.writeRecord(rows.next());
        count++;
      }
    }
    return count;
  }

  /** Deletes a folder of files (no subfolders), as the loaders' temporary folders are. */
  public static void deleteFolder(Path dir) throws IOException {
    try (var leftovers = Files.list(dir)) {
      for (Path p : (Iterable<Path>) leftovers::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }
}
