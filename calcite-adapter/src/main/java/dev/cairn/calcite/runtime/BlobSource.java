package dev.cairn.calcite.runtime;

import dev.cairn.wire.ContentId;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where the runtime gets verified blob bytes: the one seam between query execution and the
 * network. Today {@link BlobFetcher}-backed (holders in the order given, failing over, bad
 * holders reported); a multi-source, latency-ranked, hedged scheduler can replace it.
 */
@FunctionalInterface
public interface BlobSource {
  /**
   * Returns the bytes of {@code id}, which must already have been checked to hash to it, from
   * one of {@code holders}; throws a CairnException if no holder served it intact.
   */
  byte[] fetch(ContentId id, long expectedBytes, List<InetSocketAddress> holders);
}
