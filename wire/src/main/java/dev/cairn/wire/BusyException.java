package dev.cairn.wire;

/**
 * A BUSY failure that says when to try again: a server refusing a connection at its limits
 * (the hint travels in the ERROR frame, docs/protocol.md section 7) or a client leaving an
 * unresponsive peer alone. Callers try another peer now and this one after the hint.
 */
public class BusyException extends CairnException {
  private static final long serialVersionUID = 1L;

  private final long retryAfterMillis;

  /** Creates a BUSY failure asking to retry after {@code retryAfterMillis} (0: no hint). */
  public BusyException(String detail, long retryAfterMillis) {
    super(ErrorCode.BUSY, detail);
    if (retryAfterMillis < 0) {
      throw new IllegalArgumentException("retryAfterMillis must be >= 0: " + retryAfterMillis);
    }
    this.retryAfterMillis = retryAfterMillis;
  }

  /** Returns how long to leave the peer alone, in milliseconds; 0 when it gave no hint. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }
}
