package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void malformedAnswersAreBoundedNamedFailuresAndACorrectOneRestoresTheHolder()
      throws Exception {
    byte[] blob = new byte[3 * ChunkTree.CHUNK_BYTES + 1234];
    TestData.RANDOM.nextBytes(blob);
    ContentId id = ContentId.of(blob);
    try (MetadataService service = MetadataService.start(MetadataServiceConfig.of(
            "127.0.0.1", 0, dir).withAudit(AuditSchedule.manual()));
        MetaServiceProbe probe = new MetaServiceProbe(service.address());
        ChunkAttacker attacker = new ChunkAttacker(blob)) {
      SigningKey writer = TestData.newKey();
      probe.claim(writer, "mallory");
      probe.publish(attacker.manifest(writer));
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
    }
  }

  @Test
  void aRestartNeitherForgivesNorForgetsAFailedAudit() throws Exception {
    byte[] blob = new byte[ChunkTree.CHUNK_BYTES + 10];
    TestData.RANDOM.nextBytes(blob);
    ContentId id = ContentId.of(blob);
    MetadataServiceConfig config = MetadataServiceConfig.of("127.0.0.1", 0, dir)
        .withAudit(AuditSchedule.manual());
    try (ChunkAttacker attacker = new ChunkAttacker(blob)) {
      try (MetadataService service = MetadataService.start(config);
          MetaServiceProbe probe = new MetaServiceProbe(service.address())) {
        SigningKey writer = TestData.newKey();
        probe.claim(writer, "mallory");
        probe.publish(attacker.manifest(writer));
        probe.heartbeat(TestData.heartbeat(attacker.key, attacker.address(), 1, List.of(id)));
        attacker.answer(-1, 0);
        service.auditOnce();
        assertEquals(1, single(probe).auditsFailed());
      }
      try (MetadataService service = MetadataService.start(config);
          MetaServiceProbe probe = new MetaServiceProbe(service.address())) {
        probe.heartbeat(TestData.heartbeat(attacker.key, attacker.address(), 2, List.of(id)));
        NodeInfo restored = single(probe);
        assertEquals(1, restored.auditsFailed(), "the record came back from reputation.txt");
        assertTrue(restored.score() < NodeInfo.SCORE_PERFECT);
        assertEquals(0, holders(probe, id), "the failed blob still does not count");
        attacker.answer(0, 0);
        service.auditOnce();
        assertEquals(1, holders(probe, id));
      }
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
