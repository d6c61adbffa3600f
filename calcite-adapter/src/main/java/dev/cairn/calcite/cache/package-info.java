/**
 * The verified batch cache: batches keyed by content id (so never stale), bounded by bytes,
 * least recently used first out, optionally kept as verified blob files between processes.
 */
package dev.cairn.calcite.cache;
