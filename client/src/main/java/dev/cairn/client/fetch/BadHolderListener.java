package dev.cairn.client.fetch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import java.net.InetSocketAddress;

/**
 * Told about a holder that misbehaved while serving a blob: bytes not matching the id
 * (BAD_HASH), a size other than the signed manifest's (BAD_FORMAT), or an error or timeout.
 * Called on a fetch worker thread; keep it quick.
 */
@FunctionalInterface
public interface BadHolderListener {
  void badHolder(InetSocketAddress holder, ContentId id, CairnException why);
}
