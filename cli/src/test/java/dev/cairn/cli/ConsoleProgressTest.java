package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.PublishResult;
import dev.cairn.wire.ContentId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress text: counts, ETA when the size is known, and the closing summary. */
class ConsoleProgressTest {
  @Test
  void showsCountsEtaAndSummary() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true,
        StandardCharsets.UTF_8), false);
    progress.started(4L << 20);
    progress.rowsRead(1234, 1L << 20);
    progress.bytesUploaded(3L << 20);
    progress.batchConfirmed(2);
    String line = progress.line();
    assertTrue(line.startsWith("1,234 rows, 1.0 MB read, "), line);
    assertTrue(line.contains("3.0 MB sent, 2 batches,  25%, ETA "), line);
    progress.finished(new PublishResult(7, ContentId.of(new byte[0]), 2, 1234, 5L << 20,
        3L << 20, 1.5, Map.of()));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("published version 7: 1234 rows in 2 batches, 5.0 MB (3.0 MB sent)"
        + " in 1.5 s"), out);
  }

  @Test
  void saysWhenThePublishWaitsForStorageNodes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true,
        StandardCharsets.UTF_8), false);
    progress.waitingForNodes(1, 3);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("waiting up to 15 s for 3 live storage nodes; the metadata services "
        + "list 1"), out);
  }
}
