package dev.cairn.tpchdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.batch.BatchBuilder;
import dev.cairn.wire.batch.BatchRows;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** The generator's rows are exactly what Cairn's batch builder takes and gives back. */
class TpchRowsBatchTest {
  private static final int ROWS_PER_TABLE = 500;

  @Test
  void everyTableRoundTripsThroughAnArrowBatch() {
    try (BufferAllocator allocator = new RootAllocator()) {
      for (TpchTable table : TpchTable.values()) {
        List<List<Object>> rows = new ArrayList<>();
        Iterator<List<Object>> generated = TpchGenerator.rows(table, TpchGeneratorTest.SCALE);
        while (generated.hasNext() && rows.size() < ROWS_PER_TABLE) {
          rows.add(generated.next());
        }
        try (BatchBuilder builder = new BatchBuilder(table.schema(), allocator)) {
          rows.forEach(builder::addRow);
          try (VectorSchemaRoot root = builder.build()) {
            assertEquals(rows, BatchRows.read(root), table.tableName());
          }
        }
      }
    }
  }
}
