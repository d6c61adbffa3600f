package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.ContentId;
import java.net.InetSocketAddress;

/**
 * A fetched blob whose bytes hash to {@code id}.
 *
 * @param id the blob's id
 * @param verifiedBytes the blob, already verified against {@code id}
 * @param servedBy the holder whose answer won
 */
public record FetchedBlob(ContentId id, byte[] verifiedBytes, InetSocketAddress servedBy) {
  public FetchedBlob {
    requireNonNull(id, "id");
    requireNonNull(verifiedBytes, "verifiedBytes");
    requireNonNull(servedBy, "servedBy");
  }
}
