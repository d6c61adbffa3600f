package dev.cairn.server;

import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Path;

/**
 * The donor's own Ed25519 key: created on first start as {@code <data>/node.key} (owner-only
 * permissions, see {@link KeyFiles}) and read again on every later start, so the node keeps
 * its identity and hence its place in rendezvous placement across restarts. A key file that
 * exists but cannot be read stops the start with its BAD_FORMAT or IO_ERROR: it is never
 * replaced, since a new key would make the node a stranger to its metadata services.
 */
final class NodeIdentity {
  static final String KEY_FILE = "node.key";

  private NodeIdentity() {}

  /** Returns the key in {@code dataDirectory}, creating it on first use. */
  static SigningKey loadOrCreate(Path dataDirectory) {
    return KeyFiles.readOrCreateSecretKey(dataDirectory.resolve(KEY_FILE));
  }
}
