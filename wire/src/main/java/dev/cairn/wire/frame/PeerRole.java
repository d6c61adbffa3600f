package dev.cairn.wire.frame;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;

/** What a peer announces itself as in its {@link Hello}: the {@code u8 role} field. */
public enum PeerRole {
  /** A user's client: CLI, JDBC driver, library. */
  CLIENT(1),
  /** A donor server holding blobs. */
  STORAGE_NODE(2),
  /** The metadata service holding table heads and node lists. */
  METADATA_SERVICE(3);

  private final int code;

  PeerRole(int code) {
    this.code = code;
  }

  /** Returns the u8 this role travels as. */
  public int code() {
    return code;
  }

  /** Returns the role for a wire code; {@code BAD_FRAME} for any other value. */
  public static PeerRole fromCode(int code) {
    for (PeerRole role : values()) {
      if (role.code == code) {
        return role;
      }
    }
    throw new CairnException(ErrorCode.BAD_FRAME, "peer role " + code + " is not defined");
  }
}
