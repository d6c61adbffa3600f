package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.message.BlobMessages;
import java.time.Duration;

/**
 * How a {@link FetchScheduler} spreads and hedges fetches.
 *
 * @param parallelism most blobs one {@link FetchStream} fetches at once
 * @param perHolderInFlightMax most attempts (first tries and hedges, over every stream of the
 *     scheduler) running at one holder; below {@code parallelism / 2} so that even two equally
 *     near holders cannot take all the work and a third gets its share
 * @param callTimeout time one range request may take before the holder counts as failed
 * @param rttRefreshInterval how often each known holder's round trip is measured again
 * @param hedgeFactor an attempt running longer than this many times the recent median of
 *     similar-size fetches gets a hedge at another holder
 * @param hedgesMax most hedge attempts running at once, over the whole scheduler
 * @param blobBytesMax largest blob a request may name; bounds every allocation
 */
public record FetchOptions(int parallelism, int perHolderInFlightMax, Duration callTimeout,
    Duration rttRefreshInterval, double hedgeFactor, int hedgesMax, long blobBytesMax) {
  public static final int PARALLELISM_DEFAULT = 8;
  public static final int PER_HOLDER_IN_FLIGHT_MAX_DEFAULT = 3;
  public static final Duration CALL_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
  public static final Duration RTT_REFRESH_INTERVAL_DEFAULT = Duration.ofSeconds(10);
  public static final double HEDGE_FACTOR_DEFAULT = 2.0;
  public static final int HEDGES_MAX_DEFAULT = 4;

  public FetchOptions {
    requireNonNull(callTimeout, "callTimeout");
    requireNonNull(rttRefreshInterval, "rttRefreshInterval");
    require(parallelism >= 1, "parallelism must be >= 1");
    require(perHolderInFlightMax >= 1, "perHolderInFlightMax must be >= 1");
    require(callTimeout.toMillis() >= 1, "callTimeout must be >= 1 ms");
    require(rttRefreshInterval.toMillis() >= 1, "rttRefreshInterval must be >= 1 ms");
    require(hedgeFactor >= 1.0, "hedgeFactor must be >= 1");
    require(hedgesMax >= 0, "hedgesMax must be >= 0");
    require(blobBytesMax >= 1 && blobBytesMax <= Integer.MAX_VALUE - 8,
        "blobBytesMax must fit a Java array");
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Returns the defaults; blobs up to what one PUT_BLOB stores. */
  public static FetchOptions defaults() {
    return new FetchOptions(PARALLELISM_DEFAULT, PER_HOLDER_IN_FLIGHT_MAX_DEFAULT,
        CALL_TIMEOUT_DEFAULT, RTT_REFRESH_INTERVAL_DEFAULT, HEDGE_FACTOR_DEFAULT,
        HEDGES_MAX_DEFAULT, BlobMessages.BLOB_BYTES_MAX);
  }

  public FetchOptions withParallelism(int parallelism, int perHolderInFlightMax) {
    return new FetchOptions(parallelism, perHolderInFlightMax, callTimeout, rttRefreshInterval,
        hedgeFactor, hedgesMax, blobBytesMax);
  }

  public FetchOptions withCallTimeout(Duration timeout) {
    return new FetchOptions(parallelism, perHolderInFlightMax, timeout, rttRefreshInterval,
        hedgeFactor, hedgesMax, blobBytesMax);
  }

  public FetchOptions withRttRefreshInterval(Duration interval) {
    return new FetchOptions(parallelism, perHolderInFlightMax, callTimeout, interval,
        hedgeFactor, hedgesMax, blobBytesMax);
  }

  public FetchOptions withHedging(double factor, int max) {
    return new FetchOptions(parallelism, perHolderInFlightMax, callTimeout, rttRefreshInterval,
        factor, max, blobBytesMax);
  }

  public FetchOptions withBlobBytesMax(long bytes) {
    return new FetchOptions(parallelism, perHolderInFlightMax, callTimeout, rttRefreshInterval,
        hedgeFactor, hedgesMax, bytes);
  }
}
