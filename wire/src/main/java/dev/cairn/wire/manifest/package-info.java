/**
 * Table version manifests: the signed, canonical list of a table's schema and batches
 * (docs/protocol.md, 4).
 */
package dev.cairn.wire.manifest;
