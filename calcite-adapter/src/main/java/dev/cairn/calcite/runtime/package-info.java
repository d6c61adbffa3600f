/**
 * The query runtime: per-connection sessions that snapshot verified heads, refuse stale ones,
 * prune batches with signed statistics, fetch and verify missing batches, load them into an
 * embedded DuckDB through Arrow's C interface, and run the translated statement there.
 */
package dev.cairn.calcite.runtime;
