package dev.cairn.spark;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What an executor needs of one batch the driver's verified manifest lists: the ids its bytes
 * must hash to (the batch's, or its shards' when erasure-coded), its size and its row count,
 * and the columns it stores if they are not the table's (a batch written before its table
 * gained columns or widened types; empty otherwise). Serialized into the input partition, so
 * executors trust the driver's head, not a donor.
 */
record BatchSlice(byte[] id, long byteSize, long rowCount, List<byte[]> shardIds,
    List<ReadSpec.ColumnSpec> stored) implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Returns the slice of one entry of {@code manifest}. */
  static BatchSlice of(Manifest manifest, BatchRef batch) {
    List<byte[]> shards = new ArrayList<>();
    for (ContentId shard : batch.shardIds()) {
      shards.add(shard.toBytes());
    }
    List<ReadSpec.ColumnSpec> stored = batch.stored() == null ? List.of()
        : ReadSpec.ColumnSpec.of(manifest.storedSchema(batch));
    return new BatchSlice(batch.id().toBytes(), batch.byteSize(), batch.rowCount(), shards,
        stored);
  }

  /** Returns the columns the blob stores: its own, or else {@code table}. */
  TableSchema storedSchema(TableSchema table) {
    return stored.isEmpty() ? table : ReadSpec.ColumnSpec.toSchema(stored);
  }

  /** Returns the batch's content id. */
  ContentId contentId() {
    return ContentId.fromBytes(id);
  }

  /** Returns the entry again, without statistics (reading needs none). */
  BatchRef toBatchRef() {
    List<ContentId> shards = new ArrayList<>();
    for (byte[] shard : shardIds) {
      shards.add(ContentId.fromBytes(shard));
    }
    return new BatchRef(contentId(), byteSize, rowCount, null, List.of(), shards);
  }
}
