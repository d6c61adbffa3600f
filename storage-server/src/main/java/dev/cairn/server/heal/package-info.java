/**
 * How a donor keeps data alive without an operator (docs/protocol.md 9.7, docs/operations.md
 * "Health"): {@link dev.cairn.server.heal.AntiEntropy} pulls the blobs placement assigns to
 * this node from peers (leaving a hung peer alone for a backoff period) and drops copies placed
 * elsewhere once their targets hold verified copies; {@link dev.cairn.server.heal.Scrubber}
 * stats held files (a vanished one leaves the index), re-hashes them and quarantines rot.
 * Decisions are made by {@link dev.cairn.server.heal.RepairPlanner} from a snapshot of
 * verified manifests, live nodes and holders; nothing here trusts the metadata service or a
 * peer beyond what it verifies itself.
 */
package dev.cairn.server.heal;
