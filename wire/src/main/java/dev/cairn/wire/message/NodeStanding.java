package dev.cairn.wire.message;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;

/**
 * Where a storage node stands with the metadata service that audits it (docs/operations.md,
 * "Reputation"): its code travels as one byte in a NodeInfo.
 */
public enum NodeStanding {
  /** New: fewer passed audits than the vetting count; gets only a small share of placement. */
  VETTING(0),
  /** Vetted and above the disqualification threshold: a full member. */
  ACTIVE(1),
  /** Below the threshold: no placement, not a holder for reads or repair, claims ignored. */
  DISQUALIFIED(2);

  private final int code;

  NodeStanding(int code) {
    this.code = code;
  }

  /** Returns the wire code. */
  public int code() {
    return code;
  }

  /** Returns the standing with wire code {@code code}; BAD_FRAME for an unknown one. */
  public static NodeStanding fromCode(int code) {
    for (NodeStanding standing : values()) {
      if (standing.code == code) {
        return standing;
      }
    }
    throw new CairnException(ErrorCode.BAD_FRAME, "unknown node standing " + code);
  }
}
