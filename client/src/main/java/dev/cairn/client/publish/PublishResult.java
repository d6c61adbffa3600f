package dev.cairn.client.publish;

import dev.cairn.wire.ContentId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What a publish made.
 *
 * @param version the new version number
 * @param manifestId the id of the signed manifest
 * @param batches how many batches the version lists
 * @param rows how many rows it holds
 * @param bytes the total size of its batch blobs
 * @param uploadedBytes the blob bytes actually sent (blobs a node already held are not sent)
 * @param seconds wall time of the whole publish
 * @param metaFailures metadata services that did not take the head, with why
 */
public record PublishResult(long version, ContentId manifestId, int batches, long rows,
    long bytes, long uploadedBytes, double seconds, Map<InetSocketAddress, String> metaFailures) {
  public PublishResult {
    metaFailures = Map.copyOf(metaFailures);
  }

  /** Returns the metadata services that failed, for messages. */
  public List<InetSocketAddress> failedServices() {
    return List.copyOf(metaFailures.keySet());
  }
}
