/**
 * Table input read as a stream of Arrow batches of a target size: CSV ({@link
 * dev.cairn.client.input.CsvReader}) and Arrow IPC ({@link dev.cairn.client.input.ArrowInput}).
 * Parquet is not supported yet.
 */
package dev.cairn.client.input;
