/**
 * What a reader or writer remembers of table heads across restarts: {@link
 * dev.cairn.client.heads.SeenHeads} (per table, the newest signed head seen and the head id of
 * every recent version seen) and {@link dev.cairn.client.heads.HeadStateFile}, which keeps it in
 * a file that is re-verified on load, bounded, written atomically and shared safely by several
 * processes.
 */
package dev.cairn.client.heads;
