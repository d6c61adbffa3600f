package dev.cairn.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/** Makes the executor-side readers: columnar only, over the decoded Arrow vectors. */
final class CairnReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final ScanOptions options;

  CairnReaderFactory(ScanOptions options) {
    this.options = options;
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return true;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    throw new UnsupportedOperationException("Cairn partitions are read as columnar batches");
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    CairnInputPartition cairn = (CairnInputPartition) partition;
    return new BatchReader(cairn.spec(), cairn.batches(), options,
        CairnClients.of(cairn.spec().metaServices()));
  }
}
