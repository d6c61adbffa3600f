/**
 * The metadata service: table heads (signed, monotonic, hash-chained, with history), publisher
 * names, the node registry and placement, and the auditor that proves donors' claims and keeps
 * their reputation ({@link dev.cairn.meta.Auditor}, {@link dev.cairn.meta.Reputation}). Start
 * one with {@link
 * dev.cairn.meta.MetadataService#start}; docs/operations.md explains running it and
 * docs/protocol.md section 9 the messages it serves.
 */
package dev.cairn.meta;
