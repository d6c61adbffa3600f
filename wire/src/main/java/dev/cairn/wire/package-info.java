/** Formats and protocol: content ids, Ed25519 keys, signed manifests, Arrow batch blobs, the Netty frame codec. */
package dev.cairn.wire;
