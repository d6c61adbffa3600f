package dev.cairn.meta;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.ChunkData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.GetChunk;
import dev.cairn.wire.rpc.Responder;
import dev.cairn.wire.rpc.RpcServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A node for audit tests: a real protocol server holding one real blob, whose GET_CHUNK
 * answer the test chooses (right, or malformed in a given way); GET_BLOB serves the true bytes.
 */
final class ChunkAttacker implements AutoCloseable {
  final SigningKey key = TestData.newKey();
  final byte[] blob;
  final ChunkTree tree;
  final RpcServer server;
  volatile BiConsumer<GetChunk, Responder> chunkAnswer;

  ChunkAttacker(byte[] blob) throws InterruptedException {
    this.blob = blob;
    this.tree = ChunkTree.of(blob);
    server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE,
        key.publicKey().toBytes()), this::handle, RpcServer.Options.defaults());
  }

  private void handle(Frame request, Responder responder) {
    switch (request.type()) {
      case GET_CHUNK -> chunkAnswer.accept(GetChunk.decode(request.payload()), responder);
      case GET_BLOB -> { // the true bytes: a failed proof is then the holder's fault
        GetBlob get = GetBlob.decode(request.payload());
        int offset = (int) Math.min(get.offset(), blob.length);
        int count = get.length() == 0 ? blob.length - offset
            : (int) Math.min(get.length(), blob.length - offset);
        responder.reply(FrameType.BLOB_DATA, Unpooled.wrappedBuffer(
            BlobData.prefix(responder.alloc(), blob.length),
            Unpooled.copiedBuffer(blob, offset, count)));
      }
      default -> throw new CairnException(ErrorCode.UNKNOWN_TYPE, "not served here");
    }
  }

  /** Returns a manifest by {@code writer} whose one batch is this node's blob. */
  SignedManifest manifest(SigningKey writer) {
    BatchRef batch = new BatchRef(ContentId.of(blob), blob.length, 10, tree.root(), List.of(
        new ColumnStats(0, 1L, 1L), new ColumnStats(2, "a", "a")));
    return ManifestCodec.sign(new Manifest("t", writer.publicKey(), 1, null,
        System.currentTimeMillis(), TestData.SCHEMA, RedundancyPolicy.replicas(1),
        List.of(batch)), writer);
  }

  String address() {
    return "127.0.0.1:" + server.address().getPort();
  }

  /** Answers every GET_CHUNK with a copy of {@code payload}, whatever it is. */
  void answerRaw(ByteBuf payload) {
    chunkAnswer = (get, responder) -> responder.reply(FrameType.CHUNK_DATA, payload.copy());
  }

  /**
   * Answers with the asked chunk and its proof, the chunk {@code chunkLengthDelta} bytes
   * longer (negative: shorter) and the proof with {@code proofDelta} (≤ 0) hashes removed;
   * (0, 0) is the right answer.
   */
  void answer(int chunkLengthDelta, int proofDelta) {
    chunkAnswer = (get, responder) -> {
      int length = ChunkTree.chunkLength(blob.length, get.chunkIndex()) + chunkLengthDelta;
      byte[] chunk = Arrays.copyOfRange(blob,
          (int) ChunkTree.chunkOffset(get.chunkIndex()),
          (int) ChunkTree.chunkOffset(get.chunkIndex()) + length);
      List<ContentId> proof = tree.proof(get.chunkIndex());
      proof = proofDelta < 0 ? proof.subList(0, proof.size() + proofDelta) : proof;
      ByteBuf out = Unpooled.buffer();
      new ChunkData(blob.length, chunk, proof).writeTo(out);
      responder.reply(FrameType.CHUNK_DATA, out);
    };
  }

  @Override
  public void close() {
    server.close();
  }
}
