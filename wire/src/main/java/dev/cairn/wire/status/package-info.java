/**
 * The operator's read-only HTTP endpoint shared by donors and metadata services: Prometheus
 * text at {@code /metrics}, a server-rendered status page at {@code /} (docs/operations.md,
 * "Metrics and the status page").
 */
package dev.cairn.wire.status;
