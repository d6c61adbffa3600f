/** Table heads (signed, monotonic, with history), node registry, placement. */
package dev.cairn.meta;
