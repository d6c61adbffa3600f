/**
 * Publish input readers backed by DuckDB: Parquet, NDJSON, gzip- and zstd-compressed CSV, and
 * CSV whose delimiter or header DuckDB sniffs. Rows reach the publisher as Arrow batches
 * (DuckDB's Arrow export) mapped by {@code TableSchema.fromArrow}, so batches, content ids and
 * statistics are made by the client's one encoder whatever the format. A module of its own so
 * that client, and the Spark connector that depends on it, carry no DuckDB
 * (docs/architecture.md, docs/decisions.md "Input formats through DuckDB").
 */
package dev.cairn.ingest;
