/** TPC-H data, the 22 queries checked against DuckDB, and benchmarks. */
package dev.cairn.tpch;
