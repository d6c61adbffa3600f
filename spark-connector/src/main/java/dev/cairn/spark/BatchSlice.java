package dev.cairn.spark;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.BatchRef;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What an executor needs of one batch the driver's verified manifest lists: the ids its bytes
 * must hash to (the batch's, or its shards' when erasure-coded), its size and its row count.
 * Serialized into the input partition, so executors trust the driver's head, not a donor.
 */
record BatchSlice(byte[] id, long byteSize, long rowCount, List<byte[]> shardIds)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Returns the slice of one manifest entry. */
  static BatchSlice of(BatchRef batch) {
    List<byte[]> shards = new ArrayList<>();
    for (ContentId shard : batch.shardIds()) {
      shards.add(shard.toBytes());
    }
    return new BatchSlice(batch.id().toBytes(), batch.byteSize(), batch.rowCount(), shards);
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
