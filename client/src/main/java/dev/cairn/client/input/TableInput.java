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

  /**
   * A group read from the input but maybe not yet decoded into rows: {@link #decode} may run on
   * another thread than the one that read it. Exactly one of decode and discard is called.
   */
  interface DeferredGroup {
    /** Returns the group's roots (none for a group without rows); the caller closes them. */
    List<VectorSchemaRoot> decode();

    /** Frees the group without decoding it. */
    void discard();
  }

  /**
   * Returns the next group, decoded later by whoever calls {@link DeferredGroup#decode}; null
   * at the end of the input. By default the group is read and decoded here, at once.
   */
  default DeferredGroup nextDeferred(long targetBytes) {
    List<VectorSchemaRoot> roots = next(targetBytes);
    if (roots == null) {
      return null;
    }
    return new DeferredGroup() {
      @Override
      public List<VectorSchemaRoot> decode() {
        return roots;
      }

      @Override
      public void discard() {
        roots.forEach(VectorSchemaRoot::close);
      }
    };
  }

  /**
   * Returns the next non-empty decoded group of {@code input}, or null at its end: {@link
   * #next} for an input whose own reading is deferred ({@link #nextDeferred}), which skips
   * groups without rows.
   */
  static List<VectorSchemaRoot> nextDecoded(TableInput input, long targetBytes) {
    while (true) {
      DeferredGroup group = input.nextDeferred(targetBytes);
      if (group == null) {
        return null;
      }
      List<VectorSchemaRoot> roots = group.decode();
      if (!roots.isEmpty()) {
        return roots;
      }
    }
  }

  /** Returns how many input bytes were consumed so far (for progress). */
  long bytesRead();

  @Override
  void close();
}
