package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.EncodedBatch;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cutting a large CSV file into batches of about the target size, streaming. */
class BatchSplittingTest {
  private static final int ROWS = 400_000;
  private static final long TARGET_BYTES = 1L << 20;

  @TempDir
  Path dir;

  /** Writes rows "id,half,label" where every 10th label is empty (NULL). */
  private Path writeCsv() throws IOException {
    Path file = dir.resolve("big.csv");
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("id,half,label\n");
      for (int i = 0; i < ROWS; i++) {
        out.write(i + "," + (i * 0.5) + "," + (i % 10 == 0 ? "" : "label-number-" + i) + "\n");
      }
    }
    return file;
  }

  @Test
  void batchesAreNearTheTargetRowsAddUpAndStatsAreRight() throws IOException {
    Path file = writeCsv();
    long fileBytes = Files.size(file);
    long rowsSeen = 0;
    int batches = 0;
    try (RootAllocator allocator = new RootAllocator();
        CsvReader reader = CsvReader.open(file, CsvOptions.defaults(), allocator)) {
      BatchEncoder encoder = new BatchEncoder(allocator);
      List<VectorSchemaRoot> group;
      while ((group = reader.next(TARGET_BYTES)) != null) {
        VectorSchemaRoot root = group.get(0);
        EncodedBatch encoded;
        try (root) {
          encoded = encoder.encode(reader.schema(), root);
        }
        long firstId = rowsSeen;
        long lastId = rowsSeen + encoded.rowCount() - 1;
        boolean last = lastId == ROWS - 1;
        if (!last) {
          assertTrue(encoded.uncompressedBytes() > TARGET_BYTES / 2
              && encoded.uncompressedBytes() < TARGET_BYTES * 2,
              "batch " + batches + " holds " + encoded.uncompressedBytes() + " bytes");
        }
        List<ColumnStats> stats = encoded.columnStats();
        assertEquals(new ColumnStats(0, firstId, lastId), stats.get(0));
        assertEquals(new ColumnStats(0, firstId * 0.5, lastId * 0.5), stats.get(1));
        long nulls = (lastId / 10) - ((firstId + 9) / 10) + 1;
        assertEquals(nulls, stats.get(2).nullCount(), "NULL labels of batch " + batches);
        rowsSeen += encoded.rowCount();
        batches++;
      }
      assertEquals(ROWS, rowsSeen);
      assertEquals(fileBytes, reader.bytesRead());
      assertTrue(batches > 5, "the file was cut into " + batches + " batches");
      assertTrue(allocator.getPeakMemoryAllocation() < fileBytes / 2,
          "peak Arrow memory " + allocator.getPeakMemoryAllocation() + " for a file of "
              + fileBytes + " bytes: the reader streams");
    }
  }
}
