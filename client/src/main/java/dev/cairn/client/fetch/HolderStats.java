package dev.cairn.client.fetch;

import java.net.InetSocketAddress;

/**
 * A snapshot of what one scheduler saw of one holder, for tests, benchmarks and status pages.
 *
 * @param holder the donor's address
 * @param bytesServed verified bytes of fetches this holder won
 * @param fetchesWon fetches this holder won
 * @param hedgesSent hedge requests sent to this holder
 * @param failures failed attempts (errors, timeouts, bad bytes; NOT_FOUND excluded)
 * @param lies attempts whose bytes or size did not match the manifest
 * @param backedOff attempts not made because the pool was backing off from this holder
 * @param rttMillis the RTT estimate, or -1 while unknown
 * @param bytesPerSecond the throughput estimate, or -1 while unknown
 * @param inFlight attempts running at this holder now
 */
public record HolderStats(InetSocketAddress holder, long bytesServed, long fetchesWon,
    long hedgesSent, long failures, long lies, long backedOff, double rttMillis, double bytesPerSecond,
    int inFlight) {}
