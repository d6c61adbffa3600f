package dev.cairn.calcite.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one session did, for tests and diagnostics: bytes and batches fetched from donors,
 * batches loaded from the cache directory, column chunks decoded, batches skipped by pruning
 * or by a row limit, holders that served bytes not matching their id, translations and DuckDB
 * statements prepared, waits for another session's loads, table versions read through a merged
 * table and merged tables built, head requests to the metadata services, and heads served from
 * the reader's own held heads;
 * and the wall time its queries spent in each phase (two clock reads per phase, so cheap
 * enough to keep on: they tell where a warm query's fixed cost goes).
 */
public final class SessionCounters {
  final AtomicLong fetchedBytes = new AtomicLong();
  final AtomicLong fetchedBatches = new AtomicLong();
  final AtomicLong diskBatches = new AtomicLong();
  final AtomicLong decodedColumns = new AtomicLong();
  final AtomicLong prunedBatches = new AtomicLong();
  final AtomicLong limitSkippedBatches = new AtomicLong();
  final AtomicLong badHolders = new AtomicLong();
  final AtomicLong queries = new AtomicLong();
  final AtomicLong translations = new AtomicLong();
  final AtomicLong loadWaits = new AtomicLong();
  final AtomicLong batchLoads = new AtomicLong();
  final AtomicLong arrivedBatches = new AtomicLong();
  final AtomicLong holderLookups = new AtomicLong();
  final AtomicLong mergedReads = new AtomicLong();
  final AtomicLong mergesBuilt = new AtomicLong();
  final AtomicLong headRequests = new AtomicLong();
  final AtomicLong headsFetched = new AtomicLong();
  final AtomicLong heldHeads = new AtomicLong();
  final AtomicLong duckdbPrepares = new AtomicLong();
  final AtomicLong headRequestNanos = new AtomicLong();
  final AtomicLong planNanos = new AtomicLong();
  final AtomicLong tablesNanos = new AtomicLong();
  final AtomicLong duckdbNanos = new AtomicLong();
  final AtomicLong releaseNanos = new AtomicLong();

  public long fetchedBytes() {
    return fetchedBytes.get();
  }

  public long fetchedBatches() {
    return fetchedBatches.get();
  }

  public long diskBatches() {
    return diskBatches.get();
  }

  /** Returns how many column chunks (one column of one batch) were decoded and loaded. */
  public long decodedColumns() {
    return decodedColumns.get();
  }

  public long prunedBatches() {
    return prunedBatches.get();
  }

  public long limitSkippedBatches() {
    return limitSkippedBatches.get();
  }

  public long badHolders() {
    return badHolders.get();
  }

  public long queries() {
    return queries.get();
  }

  /** Returns how many times a SQL text was translated (re-used translations do not count). */
  public long translations() {
    return translations.get();
  }

  /** Returns how many times a query waited for batches another session was loading. */
  public long loadWaits() {
    return loadWaits.get();
  }

  /**
   * Returns how many times a batch's columns were loaded into DuckDB: once per batch a query
   * loads, whatever the number of its tables that read it.
   */
  public long batchLoads() {
    return batchLoads.get();
  }

  /**
   * Returns how many batches a running query read as they arrived (the cold overlap), besides
   * loading them into the cache.
   */
  public long arrivedBatches() {
    return arrivedBatches.get();
  }

  /** Returns how many times a query asked the metadata services where batches are. */
  public long holderLookups() {
    return holderLookups.get();
  }

  /** Returns how many table versions a query read through one merged table. */
  public long mergedReads() {
    return mergedReads.get();
  }

  /** Returns how many merged tables this session built. */
  public long mergesBuilt() {
    return mergesBuilt.get();
  }

  /**
   * Returns how many requests for heads this session sent to the metadata services (one per
   * table looked up, or one listing; each goes to every service).
   */
  public long headRequests() {
    return headRequests.get();
  }

  /** Returns how many table heads (or forks) those requests brought back, each verified. */
  public long headsFetched() {
    return headsFetched.get();
  }

  /**
   * Returns how many times a snapshot took a table's head from the reader's own held, signed
   * newest head because every service that answered offered an older version.
   */
  public long heldHeads() {
    return heldHeads.get();
  }

  /** Returns how many DuckDB statements were prepared (re-used ones do not count). */
  public long duckdbPrepares() {
    return duckdbPrepares.get();
  }

  /**
   * Returns the nanoseconds the head requests took, round trip and verification (part of
   * {@link #planNanos}).
   */
  public long headRequestNanos() {
    return headRequestNanos.get();
  }

  /**
   * Returns the nanoseconds queries spent from their start to a translation they can run: the
   * head snapshot (kept heads or a metadata round trip), translating or re-using a translation,
   * and the readability checks.
   */
  public long planNanos() {
    return planNanos.get();
  }

  /**
   * Returns the nanoseconds queries spent making their tables readable: pruning, loading or
   * pinning batches, choosing merged tables, defining views, writing system tables.
   */
  public long tablesNanos() {
    return tablesNanos.get();
  }

  /**
   * Returns the nanoseconds queries spent in DuckDB until its result set was returned:
   * preparing (once per statement text) and executing; reading the rows is the caller's.
   */
  public long duckdbNanos() {
    return duckdbNanos.get();
  }

  /** Returns the nanoseconds queries spent releasing their pins after DuckDB answered. */
  public long releaseNanos() {
    return releaseNanos.get();
  }

  @Override
  public String toString() {
    return "SessionCounters{queries=" + queries + ", fetchedBytes=" + fetchedBytes
        + ", fetchedBatches=" + fetchedBatches + ", diskBatches=" + diskBatches + ", decodedColumns=" + decodedColumns
        + ", prunedBatches=" + prunedBatches + ", limitSkippedBatches=" + limitSkippedBatches
        + ", badHolders=" + badHolders + ", translations=" + translations
        + ", loadWaits=" + loadWaits + ", batchLoads=" + batchLoads + ", arrivedBatches="
        + arrivedBatches + ", holderLookups=" + holderLookups + ", mergedReads=" + mergedReads
        + ", mergesBuilt="
        + mergesBuilt + ", headRequests=" + headRequests + ", headsFetched=" + headsFetched
        + ", heldHeads=" + heldHeads + ", duckdbPrepares=" + duckdbPrepares
        + ", headRequestNanos=" + headRequestNanos + ", planNanos=" + planNanos
        + ", tablesNanos=" + tablesNanos + ", duckdbNanos=" + duckdbNanos + ", releaseNanos="
        + releaseNanos + "}";
  }
}
