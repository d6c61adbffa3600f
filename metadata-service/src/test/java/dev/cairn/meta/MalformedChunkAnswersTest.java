package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.ChunkTree;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.ChunkData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.GetChunk;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.rpc.Responder;
import dev.cairn.wire.rpc.RpcServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that claims a real blob and answers the service's chunk challenges with malformed
 * CHUNK_DATA (oversize, a proof of the wrong length, garbage, a lying length): each audit
 * ends within its timeout with a named failure, counts against the node and stops it from
 * counting as the blob's holder; the service keeps serving; a correct answer restores it.
 * And what an audit found survives a restart of the service.
 */
class MalformedChunkAnswersTest {
  @TempDir Path dir;

  /** The attacker: a real protocol server whose GET_CHUNK answer the test chooses. */
  private static final class Attacker implements AutoCloseable {
    final SigningKey key = TestData.newKey();
    final byte[] blob;
    final ChunkTree tree;
    final RpcServer server;
    volatile BiConsumer<GetChunk, Responder> chunkAnswer;

    Attacker(byte[] blob) throws InterruptedException {
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

    String address() {
      return "127.0.0.1:" + server.address().getPort();
    }

    void answerRaw(ByteBuf payload) {
      chunkAnswer = (get, responder) -> responder.reply(FrameType.CHUNK_DATA, payload.copy());
    }

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

  @Test
  void malformedAnswersAreBoundedNamedFailuresAndACorrectOneRestoresTheHolder()
      throws Exception {
    byte[] blob = new byte[3 * ChunkTree.CHUNK_BYTES + 1234];
    TestData.RANDOM.nextBytes(blob);
    ContentId id = ContentId.of(blob);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (MetadataService service = MetadataService.start(MetadataServiceConfig.of(
            "127.0.0.1", 0, dir).withAudit(AuditSchedule.manual()));
        MetaServiceProbe probe = new MetaServiceProbe(group, service.address());
        Attacker attacker = new Attacker(blob)) {
      SigningKey writer = TestData.newKey();
      probe.claim(writer, "mallory");
      BatchRef batch = new BatchRef(id, blob.length, 10, ChunkTree.root(blob), List.of(
          new ColumnStats(0, 1L, 1L), new ColumnStats(2, "a", "a")));
      probe.publish(ManifestCodec.sign(new Manifest("t", writer.publicKey(), 1, null,
          System.currentTimeMillis(), TestData.SCHEMA, RedundancyPolicy.replicas(1),
          List.of(batch)), writer));
      probe.heartbeat(TestData.heartbeat(attacker.key, attacker.address(), 1, List.of(id)));
      assertEquals(1, holders(probe, id), "claimed, not yet audited");

      ByteBuf oversize = Unpooled.buffer();
      oversize.writeLong(blob.length).writeInt(ChunkTree.CHUNK_BYTES + 1)
          .writeBytes(new byte[ChunkTree.CHUNK_BYTES + 1]).writeByte(0);
      ByteBuf lyingLength = Unpooled.buffer();
      lyingLength.writeLong(blob.length).writeInt(Integer.MAX_VALUE).writeBytes(new byte[16]);
      ByteBuf garbage = Unpooled.buffer();
      garbage.writeBytes(new byte[] {1, 2, 3, 4, 5});
      Runnable[] attacks = {
        () -> attacker.answerRaw(oversize),
        () -> attacker.answerRaw(lyingLength),
        () -> attacker.answerRaw(garbage),
        () -> attacker.answer(0, -1), // one proof hash short
        () -> attacker.answer(-1, 0), // one chunk byte short
      };
      for (int i = 0; i < attacks.length; i++) {
        attacks[i].run();
        service.auditOnce();
        NodeInfo node = single(probe);
        assertEquals(i + 1, node.auditsFailed() + node.auditsUnanswered(), "attack " + i);
        assertEquals(0, holders(probe, id), "a failed audit drops the claim, attack " + i);
      }
      assertEquals(attacks.length, service.auditCounters().failed(),
          "each malformed answer is a failed audit, with the true bytes at hand");
      assertTrue(single(probe).score() < NodeInfo.SCORE_PERFECT);

      attacker.answer(0, 0);
      service.auditOnce();
      assertEquals(1, single(probe).auditsPassed());
      assertEquals(1, holders(probe, id), "a passed audit of the blob restores the claim");
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRestartNeitherForgivesNorForgetsAFailedAudit() throws Exception {
    byte[] blob = new byte[ChunkTree.CHUNK_BYTES + 10];
    TestData.RANDOM.nextBytes(blob);
    ContentId id = ContentId.of(blob);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    MetadataServiceConfig config = MetadataServiceConfig.of("127.0.0.1", 0, dir)
        .withAudit(AuditSchedule.manual());
    try (Attacker attacker = new Attacker(blob)) {
      try (MetadataService service = MetadataService.start(config);
          MetaServiceProbe probe = new MetaServiceProbe(group, service.address())) {
        SigningKey writer = TestData.newKey();
        probe.claim(writer, "mallory");
        probe.publish(ManifestCodec.sign(new Manifest("t", writer.publicKey(), 1, null,
            System.currentTimeMillis(), TestData.SCHEMA, RedundancyPolicy.replicas(1),
            List.of(new BatchRef(id, blob.length, 10, ChunkTree.root(blob), List.of(
                new ColumnStats(0, 1L, 1L), new ColumnStats(2, "a", "a"))))), writer));
        probe.heartbeat(TestData.heartbeat(attacker.key, attacker.address(), 1, List.of(id)));
        attacker.answer(-1, 0);
        service.auditOnce();
        assertEquals(1, single(probe).auditsFailed());
      }
      try (MetadataService service = MetadataService.start(config);
          MetaServiceProbe probe = new MetaServiceProbe(group, service.address())) {
        probe.heartbeat(TestData.heartbeat(attacker.key, attacker.address(), 2, List.of(id)));
        NodeInfo restored = single(probe);
        assertEquals(1, restored.auditsFailed(), "the record came back from reputation.txt");
        assertTrue(restored.score() < NodeInfo.SCORE_PERFECT);
        assertEquals(0, holders(probe, id), "the failed blob still does not count");
        attacker.answer(0, 0);
        service.auditOnce();
        assertEquals(1, holders(probe, id));
      }
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  private static NodeInfo single(MetaServiceProbe probe) {
    List<NodeInfo> nodes = probe.nodes().nodes();
    assertEquals(1, nodes.size());
    return nodes.get(0);
  }

  private static int holders(MetaServiceProbe probe, ContentId id) {
    return probe.placement(1, List.of(id)).blobs().get(0).holders().size();
  }
}
