package dev.cairn.server.heal;

import dev.cairn.wire.ContentId;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where anti-entropy puts what it pulls and takes what it drops: the server's store and quota
 * ledger, with the same quota gate as a writer's PUT (QUOTA_EXCEEDED, CAPACITY_FULL, BAD_HASH).
 */
public interface BlobSink {
  /** Stores a verified blob charged to {@code writerFingerprint}; false if already held. */
  boolean store(String writerFingerprint, ContentId id, ByteBuffer data) throws IOException;

  /** Deletes a held blob and releases its charges; false if it was not held. */
  boolean drop(ContentId id) throws IOException;

  /**
   * Deletes a held blob and releases its charges only if no writer stored it or asked for it
   * since {@code cutoffMillis} (wall clock), atomically with such a request; false otherwise.
   */
  boolean dropOrphan(ContentId id, long cutoffMillis) throws IOException;
}
