package dev.cairn.wire.rpc;

import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.FrameType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one {@link RpcServer} was asked and answered since it started, per request frame type:
 * requests, request payload bytes received, reply payload bytes sent, and ERROR replies per
 * error code. Read by the metrics endpoint (docs/operations.md, "Metrics").
 *
 * <p>Plain atomic adds indexed by the one-byte type or error code: no lock and no allocation
 * on the serving path, so counting costs a request next to nothing.
 */
public final class TrafficCounters {
  private static final int CODES = 256;

  private final AtomicLongArray requests = new AtomicLongArray(CODES);
  private final AtomicLongArray bytesIn = new AtomicLongArray(CODES);
  private final AtomicLongArray bytesOut = new AtomicLongArray(CODES);
  private final AtomicLongArray errors = new AtomicLongArray(CODES);

  void request(FrameType type, long payloadBytes) {
    requests.incrementAndGet(type.code());
    bytesIn.addAndGet(type.code(), payloadBytes);
  }

  void replied(FrameType requestType, long payloadBytes) {
    bytesOut.addAndGet(requestType.code(), payloadBytes);
  }

  void refused(ErrorCode code) {
    errors.incrementAndGet(code.code() & (CODES - 1));
  }

  /** Returns the requests of {@code type} received (PING included, HELLO not). */
  public long requests(FrameType type) {
    return requests.get(type.code());
  }

  /** Returns the payload bytes of the requests of {@code type}. */
  public long bytesIn(FrameType type) {
    return bytesIn.get(type.code());
  }

  /** Returns the payload bytes of the replies to requests of {@code type}. */
  public long bytesOut(FrameType type) {
    return bytesOut.get(type.code());
  }

  /** Returns the ERROR replies sent with {@code code}. */
  public long refusals(ErrorCode code) {
    return errors.get(code.code() & (CODES - 1));
  }

  /** Returns the request types seen at least once, with their request counts. */
  public Map<FrameType, Long> requestsSeen() {
    Map<FrameType, Long> seen = new EnumMap<>(FrameType.class);
    for (FrameType type : FrameType.values()) {
      long count = requests(type);
      if (count > 0) {
        seen.put(type, count);
      }
    }
    return seen;
  }

  /** Returns the error codes sent at least once, with their counts. */
  public Map<ErrorCode, Long> refusalsSeen() {
    Map<ErrorCode, Long> seen = new EnumMap<>(ErrorCode.class);
    for (ErrorCode code : ErrorCode.values()) {
      long count = refusals(code);
      if (count > 0) {
        seen.put(code, count);
      }
    }
    return seen;
  }
}
