package dev.cairn.wire.batch;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Rows that a Cairn parser wrote from input text and whose VARCHAR values it checked as strict
 * UTF-8 ({@link Utf8}) byte for byte as it copied them in, so that {@link BatchEncoder} does not
 * check the same bytes again for the statistics. Everything else is checked as for any root.
 *
 * <p>Its parser also leaves zero every byte that {@link CanonicalCopy} would zero (values under
 * NULLs, bitmap bits past the last row; a NULL VARCHAR is empty), by writing each value once
 * into buffers Arrow allocated zeroed, so the encoder writes its buffers as they are instead of
 * copying them.
 *
 * <p>Only a parser that checks every VARCHAR byte it writes may fill one (the client's CSV byte
 * parser does); rows from anywhere else (Arrow files, DuckDB, a caller's vectors, a slice of
 * this root) come as plain roots and are checked in full. The blob's bytes do not depend on it,
 * and every reader checks every VARCHAR of every blob again when it decodes it.
 */
public final class ParsedRoot extends VectorSchemaRoot {
  /** Creates an empty root of {@code schema}'s columns, in {@code allocator}'s memory. */
  public ParsedRoot(Schema schema, BufferAllocator allocator) {
    super(schema, vectors(schema, allocator), 0);
  }

  private static List<FieldVector> vectors(Schema schema, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(schema.getFields().size());
    for (Field field : schema.getFields()) {
      vectors.add(field.createVector(allocator));
    }
    return vectors;
  }
}
