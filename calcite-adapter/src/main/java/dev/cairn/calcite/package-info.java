/** Calcite schema, tables and rules; verified batch cache; data-table plans run on embedded DuckDB. */
package dev.cairn.calcite;
