package dev.cairn.client.input;

import dev.cairn.wire.TableSchema;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Rows read from some input, handed out in groups of about a target uncompressed size so that
 * only a few groups are ever in memory. Each group becomes one batch blob.
 */
public interface TableInput extends AutoCloseable {
  /** Returns the schema every group has. */
  TableSchema schema();

  /**
   * Returns the next group: one or more roots whose Arrow schema is exactly {@code
   * schema().toArrow()}, together about {@code targetBytes} of Arrow buffers (the last group
   * may be smaller); the caller closes them. Returns null at the end of the input.
   */
  List<VectorSchemaRoot> next(long targetBytes);

  /** Returns how many input bytes were consumed so far (for progress). */
  long bytesRead();

  @Override
  void close();
}
