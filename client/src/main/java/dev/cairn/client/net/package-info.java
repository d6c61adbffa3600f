/**
 * The client's network side: a {@link dev.cairn.client.net.ConnectionPool} of RPC connections,
 * {@link dev.cairn.client.net.NodeClient} for storage nodes and {@link
 * dev.cairn.client.net.MetaClient} for metadata services, which verifies every head it returns
 * ({@link dev.cairn.client.net.VerifiedHead}).
 */
package dev.cairn.client.net;
