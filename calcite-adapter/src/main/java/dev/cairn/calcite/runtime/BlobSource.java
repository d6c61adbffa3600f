package dev.cairn.calcite.runtime;

import dev.cairn.wire.ContentId;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where the runtime gets verified blob bytes: the one seam between query execution and the
 * network. Sessions use the client's multi-source FetchScheduler (latency-ranked, spread over
 * near donors, hedged, verified); tests may supply their own.
 */
@FunctionalInterface
public interface BlobSource {
  /**
   * Returns the bytes of {@code id}, which must already have been checked to hash to it, from
   * one of {@code holders}; throws a CairnException if no holder served it intact.
   */
  byte[] fetch(ContentId id, long expectedBytes, List<InetSocketAddress> holders);
}
