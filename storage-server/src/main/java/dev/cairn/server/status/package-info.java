/** The donor's metrics endpoint and status page (docs/operations.md, "Metrics"). */
package dev.cairn.server.status;
