package dev.cairn.wire.frame;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The handshake: the payload of the {@link FrameType#HELLO} frame each side sends first, with
 * requestId 0 (docs/protocol.md, "Handshake").
 *
 * <pre>
 * bytes[6] magic            "CAIRN" NUL = 43 41 49 52 4e 00
 * u16      protocolVersion  1
 * u8       role             {@link PeerRole}: 1 client, 2 storage node, 3 metadata service
 * u8       hasKey           0 or 1
 * bytes[32] nodeKey         Ed25519 public key of the node, present only if hasKey = 1
 * </pre>
 *
 * <p>Example, a client without a key: {@code 434149524e00 0001 01 00} (10 bytes). Decoding
 * is strict: wrong magic or version is {@code VERSION_MISMATCH}, checked before the rest
 * because another version may lay the rest out differently; a bad role, a hasKey other than
 * 0/1, a short payload or trailing bytes are {@code BAD_FRAME}.
 *
 * @param role what the sender is
 * @param nodeKey the sender's 32-byte Ed25519 public key, or null if it sends none
 */
public record Hello(PeerRole role, byte[] nodeKey) {
  /** The handshake magic, ASCII "CAIRN" and a NUL that stops any text protocol reading on. */
  private static final byte[] MAGIC = {'C', 'A', 'I', 'R', 'N', 0};
  /** The protocol version this code speaks. */
  public static final int PROTOCOL_VERSION = 1;
  /** Size of an Ed25519 public key. */
  public static final int NODE_KEY_BYTES = 32;
  /** Payload size of a HELLO without a key. */
  public static final int PAYLOAD_BYTES_WITHOUT_KEY = MAGIC.length + 2 + 1 + 1;
  /** Payload size of a HELLO with a key. */
  public static final int PAYLOAD_BYTES_WITH_KEY = PAYLOAD_BYTES_WITHOUT_KEY + NODE_KEY_BYTES;

  /** Copies the key, so the record stays immutable. */
  public Hello {
    requireNonNull(role, "role");
    if (nodeKey != null) {
      if (nodeKey.length != NODE_KEY_BYTES) {
        throw new CairnException(ErrorCode.BAD_FORMAT,
            "node key must be " + NODE_KEY_BYTES + " bytes, got " + nodeKey.length);
      }
      nodeKey = nodeKey.clone();
    }
  }

  /** Returns a copy of the node key, or null if the peer sent none. */
  @Override
  public byte[] nodeKey() {
    return nodeKey == null ? null : nodeKey.clone();
  }

  /** Returns true if the peer sent a node key. */
  public boolean hasKey() {
    return nodeKey != null;
  }

  /** Returns the magic bytes (a copy). */
  public static byte[] magic() {
    return MAGIC.clone();
  }

  /** Appends this payload to {@code buffer}. */
  public void writeTo(ByteBuf buffer) {
    buffer.writeBytes(MAGIC);
    buffer.writeShort(PROTOCOL_VERSION);
    buffer.writeByte(role.code());
    buffer.writeByte(hasKey() ? 1 : 0);
    if (hasKey()) {
      buffer.writeBytes(nodeKey);
    }
  }

  /** Returns this handshake as the HELLO frame to send first (requestId 0). */
  public Frame toFrame(ByteBufAllocator allocator) {
    int size = hasKey() ? PAYLOAD_BYTES_WITH_KEY : PAYLOAD_BYTES_WITHOUT_KEY;
    ByteBuf payload = allocator.buffer(size, size);
    writeTo(payload);
    return Frame.of(FrameType.HELLO, 0, payload);
  }

  /** Decodes a whole HELLO payload, consuming it; see the class comment for the errors. */
  public static Hello decode(ByteBuf payload) {
    byte[] magic = Payloads.readBytes(payload, MAGIC.length, "HELLO magic");
    if (!Arrays.equals(magic, MAGIC)) {
      throw new CairnException(ErrorCode.VERSION_MISMATCH,
          "HELLO magic is " + HexFormat.of().formatHex(magic) + ", not a Cairn peer");
    }
    int version = Payloads.readU16(payload, "HELLO protocolVersion");
    if (version != PROTOCOL_VERSION) {
      throw new CairnException(ErrorCode.VERSION_MISMATCH, "peer speaks protocol version "
          + version + ", this side speaks " + PROTOCOL_VERSION);
    }
    PeerRole role = PeerRole.fromCode(Payloads.readU8(payload, "HELLO role"));
    boolean hasKey = Payloads.readBoolean(payload, "HELLO hasKey");
    byte[] key = hasKey ? Payloads.readBytes(payload, NODE_KEY_BYTES, "HELLO nodeKey") : null;
    Payloads.requireFullyRead(payload, "HELLO payload");
    return new Hello(role, key);
  }

  /**
   * Checks the first frame a peer sent: it must be a HELLO with requestId 0 and a payload this
   * version understands. Returns the peer's handshake; throws {@code VERSION_MISMATCH} for any
   * other first frame, wrong magic or version, and {@code BAD_FRAME} for a malformed payload.
   * Pure: it reads a duplicate, so the frame is left as it was and still owned by the caller.
   */
  public static Hello checkPeer(Frame first) {
    if (first.type() != FrameType.HELLO) {
      throw new CairnException(ErrorCode.VERSION_MISMATCH,
          "first frame must be HELLO, got " + first.type());
    }
    if (first.requestId() != 0) {
      throw new CairnException(ErrorCode.VERSION_MISMATCH,
          "HELLO must have requestId 0, got " + Long.toUnsignedString(first.requestId()));
    }
    return decode(first.payload().duplicate());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hello hello && role == hello.role
        && Arrays.equals(nodeKey, hello.nodeKey);
  }

  @Override
  public int hashCode() {
    return role.hashCode() * 31 + Arrays.hashCode(nodeKey);
  }

  @Override
  public String toString() {
    return "Hello[role=" + role + ", nodeKey="
        + (nodeKey == null ? "none" : HexFormat.of().formatHex(nodeKey)) + "]";
  }
}
