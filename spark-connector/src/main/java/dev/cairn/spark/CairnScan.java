package dev.cairn.spark;

import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.StringJoiner;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/**
 * One planned read of one verified table version: the batches the pushed filters leave, grouped
 * in manifest order into input partitions of about {@link ScanOptions#partitionBytes()} blob
 * bytes each, with no preferred locations (donors are not Spark hosts). Row count and size come
 * from the signed manifest, for Spark's optimizer.
 */
final class CairnScan implements Scan, Batch, SupportsReportStatistics {
  private final VerifiedHead head;
  private final ScanOptions options;
  private final int[] selected;
  private final Filter[] pushed;
  private final List<BatchRef> batches;
  private final ReadSpec spec;

  CairnScan(List<String> metaServices, VerifiedHead head, ScanOptions options, int[] selected,
      Filter[] pushed, StatsFilter stats) {
    this.head = head;
    this.options = options;
    this.selected = selected.clone();
    this.pushed = pushed.clone();
    Manifest manifest = head.signed().manifest();
    List<BatchRef> kept = new ArrayList<>();
    for (BatchRef batch : manifest.batches()) {
      List<ColumnStats> tableStats = manifest.tableStats(batch);
      if (Arrays.stream(pushed).allMatch(f -> stats.mayMatch(batch.rowCount(), tableStats, f))) {
        kept.add(batch);
      }
    }
    this.batches = List.copyOf(kept);
    this.spec = ReadSpec.of(metaServices, label(), manifest.schema(), manifest.redundancy(),
        selected);
  }

  private String label() {
    return head.schema() + "." + head.table() + "$v" + head.version();
  }

  @Override
  public StructType readSchema() {
    TableSchema schema = head.signed().manifest().schema();
    if (selected.length == 0) {
      return new StructType(); // count(*): row counts only
    }
    return SparkTypes.of(schema.size() == selected.length ? schema : schema.project(selected));
  }

  @Override
  public String description() {
    StringJoiner columns = new StringJoiner(",");
    TableSchema schema = head.signed().manifest().schema();
    for (int index : selected) {
      columns.add(schema.column(index).name());
    }
    return "cairn " + label() + " batches=" + batches.size() + "/"
        + head.signed().manifest().batches().size() + " columns=[" + columns + "] pushed="
        + Arrays.toString(pushed);
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    List<InputPartition> partitions = new ArrayList<>();
    List<BatchSlice> current = new ArrayList<>();
    long bytes = 0;
    for (BatchRef batch : batches) {
      current.add(BatchSlice.of(head.signed().manifest(), batch));
      bytes += batch.byteSize();
      if (bytes >= options.partitionBytes()) {
        partitions.add(new CairnInputPartition(spec, current));
        current = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!current.isEmpty()) {
      partitions.add(new CairnInputPartition(spec, current));
    }
    return partitions.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new CairnReaderFactory(options);
  }

  @Override
  public Statistics estimateStatistics() {
    long rows = 0;
    long bytes = 0;
    for (BatchRef batch : batches) {
      rows += batch.rowCount();
      bytes += batch.byteSize();
    }
    long rowCount = rows;
    long byteSize = bytes;
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return OptionalLong.of(byteSize);
      }

      @Override
      public OptionalLong numRows() {
        return OptionalLong.of(rowCount);
      }
    };
  }
}
