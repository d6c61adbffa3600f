package dev.cairn.wire.batch;

/**
 * Hard limits a batch blob decoder enforces on untrusted input (docs/protocol.md, 5). Every
 * length read from a blob is checked against these <em>before</em> anything of that size is
 * allocated, so a forged length costs the reader nothing.
 */
public final class BatchLimits {
  /**
   * Largest size one Arrow buffer may declare once decompressed. Half a GiB keeps a single
   * buffer well inside a Java array and a reader's heap, while a batch of several million rows
   * of one wide column still fits.
   */
  public static final long DECODED_BUFFER_BYTES_MAX = 512L << 20;

  /**
   * Largest total size all buffers of one blob may declare once decompressed. LZ4 expands at
   * most about 255 times, so without this a small blob of many buffers could still ask for many
   * GiB.
   */
  public static final long DECODED_BLOB_BYTES_MAX = 1L << 30;

  /** Largest flatbuffer metadata of one IPC message: a schema of 1024 long names fits easily. */
  public static final int MESSAGE_METADATA_BYTES_MAX = 1 << 20;

  private BatchLimits() {
  }
}
