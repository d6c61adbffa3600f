package dev.cairn.spark;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What every partition of one scan shares, as plain serializable values: where the metadata
 * services are, the table version's schema and redundancy from its verified manifest, and which
 * columns to decode (strictly increasing indexes; empty when only row counts are needed).
 */
record ReadSpec(List<String> metaServices, String label, List<ColumnSpec> columns,
    int[] selected, boolean erasure, int replicas, int dataShards, int parityShards)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One column of the schema: name, type code with precision and scale, nullability. */
  record ColumnSpec(String name, int kind, int precision, int scale, boolean nullable)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Returns the spec of reading {@code selected} columns of a version. */
  static ReadSpec of(List<String> metaServices, String label, TableSchema schema,
      RedundancyPolicy redundancy, int[] selected) {
    List<ColumnSpec> columns = new ArrayList<>();
    for (Column c : schema.columns()) {
      columns.add(new ColumnSpec(c.name(), c.type().kind().code(), c.type().precision(),
          c.type().scale(), c.nullable()));
    }
    return new ReadSpec(metaServices, label, columns, selected.clone(), redundancy.isErasure(),
        redundancy.isErasure() ? 0 : redundancy.replicas(),
        redundancy.isErasure() ? redundancy.dataShards() : 0,
        redundancy.isErasure() ? redundancy.parityShards() : 0);
  }

  /** Returns the version's whole schema, which a blob's own must equal. */
  TableSchema schema() {
    List<Column> out = new ArrayList<>();
    for (ColumnSpec c : columns) {
      out.add(new Column(c.name(), ColumnType.of(ColumnType.Kind.fromCode(c.kind()),
          c.precision(), c.scale()), c.nullable()));
    }
    return new TableSchema(out);
  }

  /** Returns the version's redundancy policy. */
  RedundancyPolicy redundancy() {
    return erasure ? RedundancyPolicy.erasure(dataShards, parityShards)
        : RedundancyPolicy.replicas(replicas);
  }
}
