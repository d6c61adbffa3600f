package dev.cairn.server;

import dev.cairn.wire.frame.FrameType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one server run, reported by STATS and read by tests: blob bytes accepted by
 * PUT_BLOB, range and chunk bytes handed to the network by GET_BLOB and GET_CHUNK, and
 * requests per frame type. They
 * start at zero on every start; they are for watching a donor, not for accounting (the quota
 * ledger is the durable record).
 */
public final class ServerCounters {
  private final LongAdder receivedBytes = new LongAdder();
  private final LongAdder servedBytes = new LongAdder();
  private final AtomicLongArray requestsByCode = new AtomicLongArray(256);

  void received(long bytes) {
    receivedBytes.add(bytes);
  }

  void served(long bytes) {
    servedBytes.add(bytes);
  }

  void request(FrameType type) {
    requestsByCode.incrementAndGet(type.code());
  }

  /** Blob bytes of every PUT_BLOB answered PUT_OK (stored now or held already). */
  public long receivedBytes() {
    return receivedBytes.sum();
  }

  /** Range bytes of every BLOB_DATA and chunk bytes of every CHUNK_DATA reply queued. */
  public long servedBytes() {
    return servedBytes.sum();
  }

  /** Requests of {@code type} handed to the request handler. */
  public long requests(FrameType type) {
    return requestsByCode.get(type.code());
  }

  /** Returns the non-zero request counts. */
  public Map<FrameType, Long> requests() {
    Map<FrameType, Long> counts = new EnumMap<>(FrameType.class);
    for (FrameType type : FrameType.values()) {
      long count = requests(type);
      if (count > 0) {
        counts.put(type, count);
      }
    }
    return counts;
  }
}
