package dev.cairn.wire.crypto;

import java.nio.charset.StandardCharsets;

/**
 * What a signature is for. Every Cairn signature is made over
 * {@code "cairn/" + tag + 0x00 + message} (docs/protocol.md, 3), never over the bare message, so
 * a signature made for one purpose (say, a heartbeat) can never be replayed as another (say, a
 * manifest) even if the two messages happened to share bytes.
 *
 * <p>Tags are ASCII, contain no NUL, and end in a version so a purpose can change its message
 * layout without ever reusing a tag. Never rename or reuse a tag; only add.
 */
public enum SignatureDomain {
  /** A table version's manifest body (docs/protocol.md, 4). */
  MANIFEST("manifest/v1"),
  /** A writer's request to store a blob on a donor. */
  PUT_BLOB("put-blob/v1"),
  /** A writer's claim of a publisher name at the metadata service. */
  CLAIM_NAME("claim-name/v1"),
  /** A node's proof of the key in its HELLO: IDENTIFY (protocol.md 6.6). */
  NODE_HELLO("node/v1"),
  /** A donor node's periodic liveness report. */
  HEARTBEAT("heartbeat/v1"),
  /** A donor node's report of a peer that served bytes not matching their id. */
  BAD_HOLDER("bad-holder/v1"),
  /** A writer's statement that a table's head is still current until a time (protocol.md 4.7). */
  HEAD_TIMESTAMP("head-timestamp/v1"),
  /** A metadata service operator's order to forget a live node, signed with the service's key. */
  FORGET_NODE("forget-node/v1"),
  /** A donor's receipt of bytes it served to an identified reader (protocol.md 9.9). */
  RECEIPT("receipt/v1");

  private static final String PREFIX = "cairn/";

  private final String tag;
  private final byte[] prefixBytes;

  SignatureDomain(String tag) {
    this.tag = tag;
    byte[] text = (PREFIX + tag).getBytes(StandardCharsets.US_ASCII);
    // The NUL ends the tag: no tag is a prefix of another tag's signed bytes.
    this.prefixBytes = new byte[text.length + 1];
    System.arraycopy(text, 0, prefixBytes, 0, text.length);
  }

  /** Returns the tag, e.g. {@code manifest/v1}. */
  public String tag() {
    return tag;
  }

  /** Returns a copy of the bytes put before every message: {@code "cairn/" + tag + 0x00}. */
  public byte[] prefix() {
    return prefixBytes.clone();
  }

  /** Returns exactly the bytes that are signed for {@code message} in this domain. */
  public byte[] signedBytes(byte[] message) {
    byte[] out = new byte[prefixBytes.length + message.length];
    System.arraycopy(prefixBytes, 0, out, 0, prefixBytes.length);
    System.arraycopy(message, 0, out, prefixBytes.length, message.length);
    return out;
  }

  /** Returns the prefix itself, for the signers in this package, which never modify it. */
  byte[] prefixUnsafe() {
    return prefixBytes;
  }
}
