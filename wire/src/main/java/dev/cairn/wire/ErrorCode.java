package dev.cairn.wire;

/**
 * Names every failure a user or a peer can see. The numeric code travels in error frames
 * (docs/protocol.md, "Error codes"); the name is what every message shows, so a user can
 * search for it. Codes are stable: never renumber, only add.
 */
public enum ErrorCode {
  /** A frame or message does not follow docs/protocol.md (truncated, garbage, bad field). */
  BAD_FRAME(1),
  /** A frame's length prefix exceeds the hard maximum; nothing of that size is allocated. */
  FRAME_TOO_LARGE(2),
  /** A frame type this protocol version does not define. */
  UNKNOWN_TYPE(3),
  /** The peer speaks another protocol version, or the first frame was not a handshake. */
  VERSION_MISMATCH(4),
  /** Bytes do not hash to the content id they were sent or stored under. */
  BAD_HASH(5),
  /** A signature does not verify against the key it claims. */
  BAD_SIGNATURE(6),
  /** A manifest or blob cannot be decoded: wrong magic, bad field, trailing bytes. */
  BAD_FORMAT(7),
  /** A version not newer than one already seen; rollback and replay are refused. */
  STALE_VERSION(8),
  /** The request is not authorised by a writer key the server accepts. */
  UNAUTHORIZED(9),
  /** The writer key's quota on this donor would be exceeded. */
  QUOTA_EXCEEDED(10),
  /** The donor's total capacity would be exceeded. */
  CAPACITY_FULL(11),
  /** The requested blob or table is not held here. */
  NOT_FOUND(12),
  /** The writer is not known to the metadata service. */
  UNKNOWN_WRITER(13),
  /** A publisher name is already bound to another writer key. */
  NAME_TAKEN(14),
  /** Too many connections or requests in flight; try again later or elsewhere. */
  BUSY(15),
  /** A local I/O failure (disk full, permissions) on the side that reports it. */
  IO_ERROR(16),
  /** A bug or unexpected state on the side that reports it. */
  INTERNAL(17),
  /** Valid SQL that Cairn cannot answer correctly, so it refuses it rather than guess. */
  UNSUPPORTED_SQL(18),
  /**
   * The writer signed two different manifests for one version of a table: the same table and
   * version with two different head ids. Never resolved silently; the writer must publish a
   * successor of one of them.
   */
  FORK(19),
  /**
   * The newest head a reader was offered has outlived its writer's freshness promise: the
   * metadata services may be withholding newer versions (a freeze), so the reader refuses.
   */
  FROZEN(20),
  /**
   * Fewer verified pieces of a batch are reachable than are needed to rebuild it (for an
   * erasure-coded batch, fewer than k of its k+m shards); never answered with partial rows.
   */
  LOST(21),
  /** The query was cancelled by its caller, its timeout, or the closing of its connection. */
  CANCELLED(22),
  /** A setting (URL property, flag, config key) is unknown, malformed or conflicts with another. */
  BAD_CONFIG(23),
  /** A data directory was written in a format this binary cannot read; the message says what to do. */
  DATA_VERSION(24),
  /**
   * A donor's reader policy refuses this reader: anonymous, not a node in good standing, or
   * reading more than its proved contribution allows (docs/operations.md, "Join the network").
   */
  NOT_A_CONTRIBUTOR(25),
  /** A signed receipt of bytes served is forged, replayed, out of bounds or from a stranger. */
  BAD_RECEIPT(26),
  /**
   * A new table version changes its table's schema in a way readers of old batches cannot
   * follow (a column dropped, renamed, moved, narrowed or given another type); refused by the
   * writer before anything is uploaded, never sent on the wire.
   */
  SCHEMA_CHANGE(27);

  private static final ErrorCode[] BY_CODE = new ErrorCode[32];

  static {
    for (ErrorCode c : values()) {
      BY_CODE[c.code] = c;
    }
  }

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  /** Returns the number this error travels as on the wire. */
  public int code() {
    return code;
  }

  /** Returns the error for a wire code, or {@link #INTERNAL} for a code this version does not know. */
  public static ErrorCode fromCode(int code) {
    if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
      return INTERNAL;
    }
    return BY_CODE[code];
  }
}
