/**
 * Ed25519 keys, fingerprints, key files and domain-separated signatures (docs/protocol.md, 3).
 */
package dev.cairn.wire.crypto;
