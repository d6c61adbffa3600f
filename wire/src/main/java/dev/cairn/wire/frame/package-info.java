/**
 * The binary framing spoken between clients, storage nodes and the metadata service
 * (docs/protocol.md, section 6): {@link dev.cairn.wire.frame.Frame} messages cut from a TCP
 * stream by {@link dev.cairn.wire.frame.FrameDecoder}, written by
 * {@link dev.cairn.wire.frame.FrameEncoder}, opened by a {@link dev.cairn.wire.frame.Hello}
 * handshake and failed with {@link dev.cairn.wire.frame.ErrorMessage} frames.
 *
 * <p>Two exception types, one per layer: the decoder throws {@link
 * dev.cairn.wire.frame.FrameException} (a Netty {@code CorruptedFrameException}, so the pipeline
 * treats it as a decoding failure); payload decoders such as {@code Hello.decode} throw {@link
 * dev.cairn.wire.CairnException}. Both carry an {@link dev.cairn.wire.ErrorCode}.
 */
package dev.cairn.wire.frame;
