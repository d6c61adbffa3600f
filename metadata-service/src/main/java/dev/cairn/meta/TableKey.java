package dev.cairn.meta;

import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestHeader;

/**
 * A table as the metadata service keys its heads and their timestamps: the key that signs it
 * and its name within that writer's tables.
 */
record TableKey(PublicKey writer, String table) {
  /** Returns the table {@code manifest} is a version of. */
  static TableKey of(Manifest manifest) {
    return new TableKey(manifest.writerKey(), manifest.tableName());
  }

  /** Returns the table a manifest with {@code header} is a version of. */
  static TableKey of(ManifestHeader header) {
    return new TableKey(header.writerKey(), header.tableName());
  }

  /** Returns the table whose head {@code timestamp} vouches for. */
  static TableKey of(HeadTimestamp timestamp) {
    return new TableKey(timestamp.writerKey(), timestamp.tableName());
  }
}
