package dev.cairn.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * Some batches of one version, read by one Spark task. Preferred locations stay empty: the
 * bytes live on donors, which are not Spark hosts, and any executor fetches them as well.
 */
record CairnInputPartition(ReadSpec spec, List<BatchSlice> batches) implements InputPartition {
  private static final long serialVersionUID = 1L;

  CairnInputPartition {
    batches = List.copyOf(batches);
  }
}
