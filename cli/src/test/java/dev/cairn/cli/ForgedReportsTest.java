package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.Await;
import dev.cairn.meta.AuditSchedule;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 18): two throwaway keys send 20 signed bad-holder reports against an honest
 * donor and the other two holders are frozen with SIGSTOP: a SQL query still answers, from the
 * honest donor, whose reputation has not moved. Before reputation came from audits, such
 * reports took the donor to −20 and readers never asked it.
 */
class ForgedReportsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void reportsFromFreeKeysCannotTurnReadersAwayFromTheOnlyResponsiveHolder()
      throws Exception {
    MetadataServiceConfig metaConfig = MetadataServiceConfig.of("127.0.0.1", 0,
        dir.resolve("meta")).withDeadAfter(Duration.ofSeconds(2))
        .withAudit(AuditSchedule.manual());
    List<Process> frozen = new ArrayList<>();
    try (MetadataService meta = MetadataService.start(metaConfig);
        ChildDonors donors = new ChildDonors(dir, meta.address())) {
      List<Process> servers = new ArrayList<>();
      int[] ports = {ChildDonors.freePort(), ChildDonors.freePort(), ChildDonors.freePort()};
      for (int i = 0; i < 3; i++) {
        servers.add(donors.start(i, ports[i]));
      }
      ChildDonors.awaitLive(meta, 3);
      SigningKey key = ClusterFixtures.key(dir.resolve("w.key"));
      int rows = 50_000;
      PublishResult published = Publisher.publish(PublishRequest.of(List.of(meta.address()),
          key, "syb", "t", List.of(ClusterFixtures.csv(dir, "rows.csv", rows, 7)))
          .withReplicas(3).withBatchTargetBytes(128 << 10), ProgressListener.NONE);
      List<ContentId> ids = new ArrayList<>();
      try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
        MetaClient client = new MetaClient(pool, List.of(meta.address()), TIMEOUT);
        client.head("syb", "t").orElseThrow().signed().manifest().batches()
            .forEach(b -> ids.add(b.id()));
        Await.until(ChildDonors.WAIT, "3 holders of every batch", () -> client.placement(3, ids)
            .stream().allMatch(p -> p.holders().size() == 3));
      }
      byte[] honest = nodes(meta).stream()
          .filter(n -> n.address().endsWith(":" + ports[0])).findFirst().orElseThrow().nodeKey();

      sendForgedReports(meta, honest, ids);
      assertEquals(20, meta.auditCounters().reportsIgnored());
      for (Process server : servers.subList(1, 3)) {
        signal("STOP", server);
        frozen.add(server);
      }
      ChildDonors.awaitLive(meta, 1); // frozen donors stop heartbeating

      String url = "jdbc:cairn://127.0.0.1:" + meta.address().getPort() + "/syb?timeout=10s";
      try (Connection connection = DriverManager.getConnection(url);
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("select count(*), sum(id) from t")) {
        assertTrue(result.next());
        assertEquals(rows, result.getLong(1));
        assertEquals((long) rows * (rows - 1) / 2, result.getLong(2));
      }
      NodeInfo after = node(meta, honest);
      assertEquals(NodeInfo.SCORE_PERFECT, after.score(), "its reputation has not moved");
      assertEquals(0, after.auditsFailed());
      assertTrue(published.batches() > 1);
    } finally {
      for (Process process : frozen) {
        // Closing ChildDonors has killed them (SIGKILL ends a stopped process too); make sure.
        process.destroyForcibly();
      }
    }
  }

  /** Registers two throwaway keys (unreachable addresses) and sends 20 signed reports. */
  private static void sendForgedReports(MetadataService meta, byte[] offender,
      List<ContentId> ids) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (RpcConnection connection = RpcConnection.connect(group, meta.address(),
        new Hello(PeerRole.STORAGE_NODE, null), TIMEOUT)) {
      SigningKey[] keys = {SigningKey.generate(new SecureRandom()),
          SigningKey.generate(new SecureRandom())};
      for (SigningKey key : keys) {
        byte[] nodeKey = key.publicKey().toBytes();
        long now = System.currentTimeMillis();
        byte[] signature = key.sign(SignatureDomain.HEARTBEAT, Heartbeat.signedMessage(
            nodeKey, "127.0.0.1:9", 1L << 40, 0, 0, now, List.of(), "throwaway"));
        ByteBuf beat = Unpooled.buffer();
        new Heartbeat(nodeKey, "127.0.0.1:9", 1L << 40, 0, 0, now, List.of(), "throwaway", signature)
            .writeTo(beat);
        Exchanges.HEARTBEAT.call(connection, beat, TIMEOUT);
      }
      for (int i = 0; i < 20; i++) {
        SigningKey reporter = keys[i % 2];
        byte[] r = reporter.publicKey().toBytes();
        ContentId blob = ids.get(i % ids.size());
        long now = System.currentTimeMillis();
        ByteBuf report = Unpooled.buffer();
        new BadHolderReport(r, offender, blob, now, reporter.sign(SignatureDomain.BAD_HOLDER,
            BadHolderReport.signedMessage(r, offender, blob, now))).writeTo(report);
        Exchanges.REPORT_BAD_HOLDER.call(connection, report, TIMEOUT);
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static List<NodeInfo> nodes(MetadataService meta) {
    try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      return new MetaClient(pool, List.of(meta.address()), TIMEOUT).nodes();
    }
  }

  private static NodeInfo node(MetadataService meta, byte[] key) {
    return nodes(meta).stream().filter(n -> java.util.Arrays.equals(n.nodeKey(), key))
        .findFirst().orElseThrow();
  }

  private static void signal(String signal, Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0,
        "kill -" + signal + " " + process.pid());
  }
}
