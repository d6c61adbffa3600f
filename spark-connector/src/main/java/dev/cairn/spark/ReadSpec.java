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

  /**
   * One column of a schema: its id (docs/protocol.md 4.9), name, type code with precision and
   * scale, nullability.
   */
  record ColumnSpec(int id, String name, int kind, int precision, int scale, boolean nullable)
      implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Returns the specs of the columns of {@code schema}, in order. */
    static List<ColumnSpec> of(TableSchema schema) {
      List<ColumnSpec> columns = new ArrayList<>();
      for (int i = 0; i < schema.size(); i++) {
        Column c = schema.column(i);
        columns.add(new ColumnSpec(schema.columnId(i), c.name(), c.type().kind().code(),
            c.type().precision(), c.type().scale(), c.nullable()));
      }
      return columns;
    }

    /** Returns the schema of {@code columns} with their ids. */
    static TableSchema toSchema(List<ColumnSpec> columns) {
      List<Column> out = new ArrayList<>();
      List<Integer> ids = new ArrayList<>();
      for (ColumnSpec c : columns) {
        out.add(new Column(c.name(), ColumnType.of(ColumnType.Kind.fromCode(c.kind()),
            c.precision(), c.scale()), c.nullable()));
        ids.add(c.id());
      }
      return new TableSchema(out, ids);
    }
  }

  /** Returns the spec of reading {@code selected} columns of a version. */
  static ReadSpec of(List<String> metaServices, String label, TableSchema schema,
      RedundancyPolicy redundancy, int[] selected) {
    return new ReadSpec(metaServices, label, ColumnSpec.of(schema), selected.clone(),
        redundancy.isErasure(),
        redundancy.isErasure() ? 0 : redundancy.replicas(),
        redundancy.isErasure() ? redundancy.dataShards() : 0,
        redundancy.isErasure() ? redundancy.parityShards() : 0);
  }

  /**
   * Returns the version's whole schema, which a blob's own must equal unless the batch lists
   * columns of its own ({@link BatchSlice#storedSchema}).
   */
  TableSchema schema() {
    return ColumnSpec.toSchema(columns);
  }

  /** Returns the version's redundancy policy. */
  RedundancyPolicy redundancy() {
    return erasure ? RedundancyPolicy.erasure(dataShards, parityShards)
        : RedundancyPolicy.replicas(replicas);
  }
}
