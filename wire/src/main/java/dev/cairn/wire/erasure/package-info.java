/**
 * Systematic Reed-Solomon erasure coding over GF(2^8): the codec that cuts a batch blob into k
 * data and m parity shards and rebuilds it from any k of them (docs/protocol.md, 4.8).
 */
package dev.cairn.wire.erasure;
