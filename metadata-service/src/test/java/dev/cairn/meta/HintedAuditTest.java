package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report from a vetted node makes the service audit the reported (node, blob) promptly, on
 * its own schedule, long before the next round; the audit, not the report, moves the score.
 */
class HintedAuditTest {
  @TempDir Path dir;

  @Test
  void aVettedReportIsAuditedPromptlyAndOnlyTheFailedAuditCounts() throws Exception {
    SigningKey reporter = TestData.newKey();
    new ReputationFile(dir).save(Map.of(reporter.publicKey(), new ReputationFile.Saved(
        Reputation.restored(Reputation.ALPHA_START, 0, Reputation.VETTING_AUDITS, 0, 0, false),
        Set.of())));
    byte[] blob = new byte[ChunkTree.CHUNK_BYTES * 2];
    TestData.RANDOM.nextBytes(blob);
    ContentId id = ContentId.of(blob);
    // Rounds an hour apart: within the test only the report's prompt audit can run.
    AuditSchedule schedule = new AuditSchedule(Duration.ofHours(1), Duration.ofMillis(50),
        Duration.ofSeconds(5), 2);
    try (MetadataService service = MetadataService.start(MetadataServiceConfig.of(
            "127.0.0.1", 0, dir).withAudit(schedule));
        MetaServiceProbe probe = new MetaServiceProbe(service.address());
        ChunkAttacker holder = new ChunkAttacker(blob)) {
      SigningKey writer = TestData.newKey();
      probe.claim(writer, "wren");
      probe.publish(holder.manifest(writer));
      long now = System.currentTimeMillis();
      probe.heartbeat(TestData.heartbeat(reporter, "127.0.0.1:1", now, null));
      probe.heartbeat(TestData.heartbeat(holder.key, holder.address(), now, List.of(id)));
      holder.answer(0, -1); // it cannot prove the chunk

      byte[] r = reporter.publicKey().toBytes();
      byte[] o = holder.key.publicKey().toBytes();
      BadHolderReport report = new BadHolderReport(r, o, id, now, reporter.sign(
          SignatureDomain.BAD_HOLDER, BadHolderReport.signedMessage(r, o, id, now)));
      probe.call(FrameType.REPORT_BAD_HOLDER, report::writeTo);
      assertEquals(1, service.auditCounters().reportsQueued());

      assertTrue(TestData.eventually(Duration.ofSeconds(20),
          () -> info(probe, holder).auditsFailed() == 1), "the prompt audit ran and failed");
      assertEquals(0, service.auditCounters().rounds(), "no round ran: it was the hint");
      assertEquals(0, probe.placement(1, List.of(id)).blobs().get(0).holders().size(),
          "the failed blob no longer counts");
      assertEquals(1, info(probe, holder).auditsFailed() + info(probe, holder).auditsPassed()
          + info(probe, holder).auditsUnanswered(), "one report, one audit");
    }
  }

  private static NodeInfo info(MetaServiceProbe probe, ChunkAttacker node) {
    for (NodeInfo info : probe.nodes().nodes()) {
      if (Arrays.equals(info.nodeKey(), node.key.publicKey().toBytes())) {
        return info;
      }
    }
    throw new AssertionError("node not listed");
  }
}
