/** Reader and writer library over wire: publish, locate, fetch and verify batches. */
package dev.cairn.client;
