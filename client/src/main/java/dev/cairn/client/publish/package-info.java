/**
 * Publishing a table version: {@link dev.cairn.client.publish.Publisher} with a {@link
 * dev.cairn.client.publish.PublishRequest}, reporting through a {@link
 * dev.cairn.client.publish.ProgressListener} such as {@link
 * dev.cairn.client.publish.ConsoleProgress}.
 */
package dev.cairn.client.publish;
