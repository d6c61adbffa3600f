package dev.cairn.client.fetch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import java.net.InetSocketAddress;

/**
 * Told about a holder that misbehaved while serving a blob: one of the lies {@link
 * dev.cairn.wire.rpc.VerifiedBlobRead} names (BAD_HASH for bytes or a size not matching the
 * id, BAD_FRAME for another range than asked for). Errors, timeouts and unreachable holders
 * are not reported here: they are no evidence of bad bytes. Called on a fetch worker thread;
 * keep it quick.
 */
@FunctionalInterface
public interface BadHolderListener {
  void badHolder(InetSocketAddress holder, ContentId id, CairnException why);
}
