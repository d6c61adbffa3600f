/**
 * Publishing a table version: {@link dev.cairn.client.publish.Publisher} with a {@link
 * dev.cairn.client.publish.PublishRequest}, reporting through a {@link
 * dev.cairn.client.publish.ProgressListener} (the CLI's draws on the terminal).
 */
package dev.cairn.client.publish;
