/**
 * The reader's download side: {@link dev.cairn.client.fetch.FetchScheduler} fetches blobs from
 * several near donors at once, verifies each against its id, fails over from lying, dead or
 * missing holders, and hedges slow fetches; {@link dev.cairn.client.fetch.FetchStream} yields
 * the blobs in completion order with back-pressure.
 */
package dev.cairn.client.fetch;
