/** The donor daemon: durable blob store, serving, quotas, bandwidth, anti-entropy, scrub, repair. */
package dev.cairn.server;
