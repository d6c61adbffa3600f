package dev.cairn.client.publish;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.NodeClient;
import io.netty.buffer.ByteBuf;

/**
 * One direct copy of a blob for every node it is uploaded to, made when the first upload
 * needs it (none when every node already holds the blob). Each upload copied the blob into
 * direct memory of its own, R copies of every byte published (docs/benchmarks.md, "Parsed
 * values valid until NULL, and one direct copy for every replica"). Thread-safe: the
 * uploads of one blob run on several threads.
 */
final class SharedDirectBlob implements AutoCloseable {
  private final byte[] blob;
  /** Guarded by this; null until the first upload and after close. */
  private ByteBuf copy;
  private boolean closed;

  SharedDirectBlob(byte[] blob) {
    this.blob = requireNonNull(blob, "blob");
  }

  /**
   * The direct copy, which stays valid until {@link #close}: an upload's request holds a
   * duplicate of its own while it is written (NodeClient#putAsync).
   */
  synchronized ByteBuf direct() {
    if (closed) {
      throw new IllegalStateException("the blob's uploads are over");
    }
    if (copy == null) {
      copy = NodeClient.directCopy(blob);
    }
    return copy;
  }

  /** Releases the copy; uploads still in flight keep the duplicates they took. */
  @Override
  public synchronized void close() {
    closed = true;
    if (copy != null) {
      copy.release();
      copy = null;
    }
  }
}
