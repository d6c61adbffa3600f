/**
 * Apache Spark DataSource V2 over Cairn tables: the driver reads and verifies one head and plans
 * partitions of batches pruned by their signed statistics; executors fetch each batch from donors
 * through the client's multi-source verified fetch and hand Spark its Arrow vectors as they are.
 */
package dev.cairn.spark;
