package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.ContentId;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One blob to fetch.
 *
 * @param id the blob's content id; the bytes returned hash to it
 * @param expectedBytes the blob's size from the signed manifest; a holder announcing another
 *     size is lying
 * @param holders donors that should hold it, in any order (the scheduler ranks them)
 */
public record FetchRequest(ContentId id, long expectedBytes, List<InetSocketAddress> holders) {
  public FetchRequest {
    requireNonNull(id, "id");
    holders = List.copyOf(holders);
    if (expectedBytes < 0) {
      throw new IllegalArgumentException("expectedBytes must be >= 0");
    }
  }
}
