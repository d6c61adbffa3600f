package dev.cairn.meta;

import static dev.cairn.meta.MetaServiceProbe.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REPORT_BAD_HOLDER against a real service: who may report, and how the score moves. */
class BadHolderReportTest {
  @TempDir Path dir;
  private EventLoopGroup group;
  private MetadataService service;
  private MetaServiceProbe client;
  private final SigningKey honest = TestData.newKey();
  private final SigningKey liar = TestData.newKey();
  private final SigningKey other = TestData.newKey();

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    service = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir));
    client = new MetaServiceProbe(group, service.address());
    long now = System.currentTimeMillis();
    for (SigningKey node : new SigningKey[] {honest, liar, other}) {
      client.heartbeat(TestData.heartbeat(node, "127.0.0.1:1", now, null));
    }
  }

  @AfterEach
  void stop() {
    client.close();
    service.close();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
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

  private int score(SigningKey node) {
    for (NodeInfo info : client.nodes().nodes()) {
      if (Arrays.equals(info.nodeKey(), node.publicKey().toBytes())) {
        return info.score();
      }
    }
    throw new AssertionError("node not listed");
  }

  @Test
  void eachDistinctBlobReportedLowersTheScoreOnce() {
    ContentId first = TestData.randomId();
    send(report(honest, liar, first));
    send(report(honest, liar, first)); // the same blob again: counted once
    send(report(other, liar, first)); // another reporter: counted again
    send(report(honest, liar, TestData.randomId()));
    assertEquals(-3, score(liar));
    assertEquals(0, score(honest));
  }

  @Test
  void oneReporterAloneCanLowerAScoreOnlySoFar() {
    for (int i = 0; i < NodeRegistry.REPORTS_PER_REPORTER_MAX + 5; i++) {
      send(report(honest, liar, TestData.randomId()));
    }
    assertEquals(-NodeRegistry.REPORTS_PER_REPORTER_MAX, score(liar));
  }

  @Test
  void forgedUnknownAndSelfReportsAreRefusedByName() {
    BadHolderReport good = report(honest, liar, TestData.randomId());
    byte[] badSignature = good.signature().clone();
    badSignature[0] ^= 1;
    expect(ErrorCode.BAD_SIGNATURE, () -> send(new BadHolderReport(good.reporterKey(),
        good.offenderKey(), good.blobId(), good.timestampMillis(), badSignature)));
    expect(ErrorCode.UNAUTHORIZED,
        () -> send(report(TestData.newKey(), liar, TestData.randomId())));
    expect(ErrorCode.UNAUTHORIZED, () -> send(report(liar, liar, TestData.randomId())));
    expect(ErrorCode.NOT_FOUND, () -> send(report(honest, TestData.newKey(),
        TestData.randomId())));
    assertEquals(0, score(liar));
  }
}
