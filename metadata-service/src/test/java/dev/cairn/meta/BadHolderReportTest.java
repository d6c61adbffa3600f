package dev.cairn.meta;

import static dev.cairn.meta.MetaServiceProbe.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REPORT_BAD_HOLDER against a real service: who may report, that no report moves a score,
 * and that only a vetted reporter's report queues an audit (bounded per reporter).
 */
class BadHolderReportTest {
  @TempDir Path dir;
  private MetadataService service;
  private MetaServiceProbe client;
  private final SigningKey vetted = TestData.newKey();
  private final SigningKey honest = TestData.newKey();
  private final List<ContentId> honestHoldings = new ArrayList<>();

  @BeforeEach
  void start() {
    // A reporter with a long clean record, as the service would have saved it.
    new ReputationFile(dir).save(Map.of(vetted.publicKey(), new ReputationFile.Saved(
        Reputation.restored(Reputation.ALPHA_START, 0, Reputation.VETTING_AUDITS, 0, 0, false),
        Set.of())));
    service = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir)
        .withAudit(AuditSchedule.manual()));
    client = new MetaServiceProbe(service.address());
    for (int i = 0; i < 8; i++) {
      honestHoldings.add(TestData.randomId());
    }
    long now = System.currentTimeMillis();
    client.heartbeat(TestData.heartbeat(vetted, "127.0.0.1:1", now, null));
    client.heartbeat(TestData.heartbeat(honest, "127.0.0.1:2", now, honestHoldings));
  }

  @AfterEach
  void stop() {
    client.close();
    service.close();
  }

  private static BadHolderReport report(SigningKey reporter, SigningKey offender, ContentId id) {
    byte[] r = reporter.publicKey().toBytes();
    byte[] o = offender.publicKey().toBytes();
    long now = System.currentTimeMillis();
    byte[] signature = reporter.sign(SignatureDomain.BAD_HOLDER,
        BadHolderReport.signedMessage(r, o, id, now));
    return new BadHolderReport(r, o, id, now, signature);
  }

  private void send(BadHolderReport report) {
    ByteBuf reply = client.call(FrameType.REPORT_BAD_HOLDER, report::writeTo);
    assertEquals(0, reply.readableBytes(), "REPORT_OK is empty");
  }

  private NodeInfo info(PublicKey node) {
    for (NodeInfo info : client.nodes().nodes()) {
      if (Arrays.equals(info.nodeKey(), node.toBytes())) {
        return info;
      }
    }
    throw new AssertionError("node not listed");
  }

  @Test
  void twentyReportsFromTwoThrowawayKeysMoveNothing() {
    SigningKey[] throwaway = {TestData.newKey(), TestData.newKey()};
    long now = System.currentTimeMillis();
    for (SigningKey key : throwaway) {
      client.heartbeat(TestData.heartbeat(key, "127.0.0.1:9", now, null));
    }
    for (int i = 0; i < 20; i++) {
      send(report(throwaway[i % 2], honest, honestHoldings.get(i % honestHoldings.size())));
    }
    NodeInfo after = info(honest.publicKey());
    assertEquals(NodeInfo.SCORE_PERFECT, after.score(), "reports never lower a score");
    assertEquals(NodeStanding.VETTING, after.standing());
    assertEquals(20, service.auditCounters().reportsIgnored(), "unvetted reporters weigh 0");
    assertEquals(0, service.auditCounters().reportsQueued());
    assertEquals(8, client.placement(2, honestHoldings).blobs().stream()
        .filter(p -> p.holders().size() == 1).count(), "the reported node still holds all");
  }

  @Test
  void aVettedReporterQueuesBoundedAuditsAndNoScoreMoves() {
    assertEquals(NodeStanding.ACTIVE, info(vetted.publicKey()).standing(),
        "the saved record was restored at the first heartbeat");
    for (ContentId id : honestHoldings.subList(0, 6)) {
      send(report(vetted, honest, id));
    }
    send(report(vetted, honest, honestHoldings.get(0))); // a repeat
    send(report(vetted, honest, TestData.randomId())); // a blob it does not claim
    assertEquals(NodeRegistry.HINTS_PER_REPORTER_PER_ROUND,
        service.auditCounters().reportsQueued(), "at most this many per reporter and round");
    assertEquals(8 - NodeRegistry.HINTS_PER_REPORTER_PER_ROUND,
        service.auditCounters().reportsIgnored());
    assertEquals(NodeInfo.SCORE_PERFECT, info(honest.publicKey()).score());
  }

  @Test
  void forgedUnknownAndSelfReportsAreRefusedByName() {
    BadHolderReport good = report(vetted, honest, honestHoldings.get(0));
    byte[] badSignature = good.signature().clone();
    badSignature[0] ^= 1;
    expect(ErrorCode.BAD_SIGNATURE, () -> send(new BadHolderReport(good.reporterKey(),
        good.offenderKey(), good.blobId(), good.timestampMillis(), badSignature)));
    expect(ErrorCode.UNAUTHORIZED,
        () -> send(report(TestData.newKey(), honest, TestData.randomId())));
    expect(ErrorCode.UNAUTHORIZED, () -> send(report(honest, honest, TestData.randomId())));
    expect(ErrorCode.NOT_FOUND, () -> send(report(vetted, TestData.newKey(),
        TestData.randomId())));
    assertEquals(0, service.auditCounters().reportsQueued());
    assertEquals(NodeInfo.SCORE_PERFECT, info(honest.publicKey()).score());
  }
}
