package dev.cairn.wire.status;

import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.rpc.TrafficCounters;
import java.time.Duration;

/**
 * "Bandwidth now" for a status page: payload bytes in and out per second between the previous
 * look (page view or scrape) at least a second ago and this one, or since start at the first
 * look. Costs nothing between looks.
 */
public final class Throughput {
  /** Rates over one window. */
  public record Rates(double inBytesPerSecond, double outBytesPerSecond, Duration window) {}

  private final TrafficCounters traffic;
  private long sampleNanos = System.nanoTime();
  private long sampleIn;
  private long sampleOut;
  private Rates last = new Rates(0, 0, Duration.ZERO);

  /** Measures {@code traffic}, starting now. */
  public Throughput(TrafficCounters traffic) {
    this.traffic = traffic;
  }

  /** Returns the rates since the previous sample; starts a new window once a second passed. */
  public synchronized Rates sample() {
    long now = System.nanoTime();
    long in = 0;
    long out = 0;
    for (FrameType type : traffic.requestsSeen().keySet()) {
      in += traffic.bytesIn(type);
      out += traffic.bytesOut(type);
    }
    long elapsed = now - sampleNanos;
    if (elapsed < 1_000_000_000L && !last.window().isZero()) {
      return last;
    }
    double seconds = Math.max(elapsed, 1) / 1e9;
    last = new Rates((in - sampleIn) / seconds, (out - sampleOut) / seconds,
        Duration.ofNanos(elapsed));
    sampleNanos = now;
    sampleIn = in;
    sampleOut = out;
    return last;
  }
}
