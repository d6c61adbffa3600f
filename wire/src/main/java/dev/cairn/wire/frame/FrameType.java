package dev.cairn.wire.frame;

import dev.cairn.wire.ErrorCode;

/**
 * The {@code u8 type} of a frame (docs/protocol.md, "Frame types"). Codes are stable: never
 * renumber, only add.
 *
 * <p>Ranges: 1-15 connection control, 16-47 storage node requests and replies, 48 and up
 * metadata service requests and replies. A request and its reply have adjacent codes (even
 * request, odd reply in the service ranges). Only the control payloads are defined so far;
 * the others are reserved here so that their numbers cannot collide, and their payloads are
 * specified by the work that implements them.
 */
public enum FrameType {
  /** Handshake; the first frame each side sends, requestId 0. Payload: {@link Hello}. */
  HELLO(1),
  /** A failed request (its requestId) or connection (requestId 0); see {@link ErrorMessage}. */
  ERROR(2),
  /** Liveness probe; empty payload. */
  PING(3),
  /** Answer to {@link #PING} with the same requestId; empty payload. */
  PONG(4),

  PUT_BLOB(16),
  PUT_OK(17),
  GET_BLOB(18),
  BLOB_DATA(19),
  HAS_BLOBS(20),
  HAS_RESULT(21),
  LIST_BLOBS(22),
  LIST_RESULT(23),
  STATS(24),
  STATS_RESULT(25),
  /** One chunk of a blob with its Merkle proof: an audit challenge (protocol.md 8.6). */
  GET_CHUNK(26),
  /** Answer to {@link #GET_CHUNK}: the chunk and its proof. */
  CHUNK_DATA(27),

  PUBLISH_HEAD(48),
  HEAD_OK(49),
  GET_HEAD(50),
  HEAD_RESULT(51),
  CLAIM_NAME(52),
  NAME_OK(53),
  LIST_TABLES(54),
  TABLES_RESULT(55),
  GET_VERSIONS(56),
  VERSIONS_RESULT(57),
  HEARTBEAT(58),
  HEARTBEAT_OK(59),
  LIST_NODES(60),
  NODES_RESULT(61),
  PLACEMENT(62),
  PLACEMENT_RESULT(63),
  /** A donor reports a peer that served bytes not matching their id (protocol.md 9.4). */
  REPORT_BAD_HOLDER(64),
  /** Empty answer to {@link #REPORT_BAD_HOLDER}: the report was counted. */
  REPORT_OK(65),
  /** A writer extends its head's validity with a signed timestamp (protocol.md 9.3). */
  PUBLISH_TIMESTAMP(66),
  /** Answer to {@link #PUBLISH_TIMESTAMP}: the newest timestamp the service now holds. */
  TIMESTAMP_OK(67),
  /** An operator asks a metadata service to drop a node's record (protocol.md 9.4). */
  FORGET_NODE(68),
  /** Answer to {@link #FORGET_NODE}: whether the node was live when forgotten. */
  FORGET_OK(69),
  /** A connection proves the key of its HELLO by signing the peer's key (protocol.md 6.6). */
  IDENTIFY(70),
  /** Answer to {@link #IDENTIFY}: the key is proved for the rest of the connection. */
  IDENTIFY_OK(71),
  /** A donor's signed receipt of bytes it served to an identified reader (protocol.md 9.9). */
  RECEIPT(72),
  /** Answer to {@link #RECEIPT}: the receipt is in the ledger. */
  RECEIPT_OK(73),
  /** Asks a metadata service for nodes' contribution ledger entries (protocol.md 9.9). */
  GET_LEDGER(74),
  /** Answer to {@link #GET_LEDGER}: one entry per asked node, in request order. */
  LEDGER_RESULT(75);

  /** One slot per possible u8 value, so a lookup never needs a range check beyond 0-255. */
  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  /** Returns the u8 this type travels as. */
  public int code() {
    return code;
  }

  /** Returns the type for a wire code; throws {@code UNKNOWN_TYPE} for a code not defined. */
  public static FrameType fromCode(int code) {
    FrameType type = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    if (type == null) {
      throw new FrameException(ErrorCode.UNKNOWN_TYPE, "frame type " + code + " is not defined");
    }
    return type;
  }
}
