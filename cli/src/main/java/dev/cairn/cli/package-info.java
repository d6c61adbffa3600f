/** The cairn command: keygen, server, meta, publish, sql, status, demo. */
package dev.cairn.cli;
