package dev.cairn.wire.batch;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * Where {@link BatchEncoder} has Arrow's stream writer put a blob: one array per thread, kept
 * between blobs, that a buffer is copied into straight from Arrow's memory. The general route
 * (a {@code ByteArrayOutputStream} behind {@code Channels.newChannel}) copied every byte through
 * an 8 KiB staging array and again each time the stream doubled from 32 bytes to 4 MiB, about
 * 5% of a worker's encoding (docs/decisions.md). Not thread-safe: one per thread, and one blob
 * at a time.
 */
final class BlobOutput implements WritableByteChannel {
  /** An array above this serves its one blob and is not kept (as {@link ReusedArray}). */
  private static final int KEPT_BYTES_MAX = 64 << 20;
  private static final ThreadLocal<BlobOutput> PER_THREAD =
      ThreadLocal.withInitial(BlobOutput::new);

  private byte[] bytes = new byte[1 << 20];
  private int length;

  private BlobOutput() {}

  /** Returns this thread's output, emptied for a new blob. */
  static BlobOutput forThisThread() {
    BlobOutput output = PER_THREAD.get();
    output.length = 0;
    return output;
  }

  @Override
  public int write(ByteBuffer source) {
    int count = source.remaining();
    if (bytes.length - length < count) {
      grow(count);
    }
    source.get(bytes, length, count);
    length += count;
    return count;
  }

  private void grow(int count) {
    long wanted = (long) length + count;
    if (wanted > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("a blob of more than 2 GiB");
    }
    bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8,
        Math.max(wanted, 2L * bytes.length)));
  }

  /** Returns the blob written since {@link #forThisThread}, in an array of its own. */
  byte[] toByteArray() {
    byte[] blob = Arrays.copyOf(bytes, length);
    if (bytes.length > KEPT_BYTES_MAX) {
      bytes = new byte[1 << 20];
    }
    return blob;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {
    // The array stays with its thread for the next blob.
  }
}
