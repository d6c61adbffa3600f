package dev.cairn.server.heal;

/**
 * A blocking token bucket over bytes: {@link #acquire} waits until the bytes fit the rate.
 *
 * <p>The bucket holds at most one second of tokens, so an idle limiter allows one burst of a
 * second's worth and then the steady rate. A rate of 0 means unlimited. Time is the monotonic
 * clock. Thread-safe: concurrent callers share the rate.
 */
public final class RateLimiter {
  private final long bytesPerSecond;
  private double tokens;
  private long refilledAtNanos = System.nanoTime();

  /** Creates a limiter of {@code bytesPerSecond}; 0 is unlimited. */
  public RateLimiter(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must be >= 0: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Waits until {@code bytes} may pass. Throws InterruptedException if interrupted. */
  public void acquire(long bytes) throws InterruptedException {
    if (bytesPerSecond == 0 || bytes <= 0) {
      return;
    }
    long waitNanos;
    synchronized (this) {
      refill();
      // Debt is allowed, so a request larger than the bucket still passes in its time.
      tokens -= bytes;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
    }
    if (waitNanos > 0) {
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(bytesPerSecond, tokens + (now - refilledAtNanos) * 1e-9 * bytesPerSecond);
    refilledAtNanos = now;
  }
}
