package dev.cairn.client.publish;

/**
 * Told how a publish advances. Called from several threads; implementations synchronise
 * themselves. All methods have empty defaults.
 */
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE = new ProgressListener() { };

  /**
   * The metadata services list only {@code found} usable live storage nodes of the {@code
   * needed}; the publish waits a little for more to report ({@link Publisher#LIVE_NODES_WAIT}).
   */
  default void waitingForNodes(int found, int needed) { }

  /** The publish starts reading; {@code totalInputBytes} is -1 when unknown. */
  default void started(long totalInputBytes) { }

  /** Rows were read: the totals so far. */
  default void rowsRead(long rows, long inputBytes) { }

  /** {@code bytes} more blob bytes were sent to a node. */
  default void bytesUploaded(long bytes) { }

  /** One more batch has all its copies; {@code batches} confirmed so far. */
  default void batchConfirmed(int batches) { }

  /** The publish ended, with a result. */
  default void finished(PublishResult result) { }
}
