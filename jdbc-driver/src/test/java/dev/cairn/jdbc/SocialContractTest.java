package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.AuditSchedule;
import dev.cairn.meta.LedgerSettings;
import dev.cairn.meta.MetadataService;
import dev.cairn.server.StorageServer;
import dev.cairn.server.social.ReaderPolicy;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.LedgerMessages.Receipt;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the social contract end to end on real servers. Four donors serve only {@code
 * contributors:0.5}; the fourth is also the member whose node key a reader presents. An
 * anonymous reader and a stranger's key are refused with NOT_A_CONTRIBUTOR (SQLState 42501)
 * after the driver tried every holder; the member, holding audited data, is served and its
 * reads come back as debit from the donors' receipts; once its blobs are deleted behind its
 * back, the audits catch it, its credit is forfeited and it is refused. Forged and replayed
 * receipts are refused with BAD_RECEIPT and change no ledger. Audits run on request
 * ({@link MetadataService#auditOnce}), so the order of events is the test's.
 */
class SocialContractTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final int ROWS = 2_000;
  private static final ReaderPolicy POLICY = ReaderPolicy.parse("contributors:0.5");

  @TempDir
  Path dir;

  /** A receipt's size far above any read the test's donors serve meanwhile (a few KiB). */
  private static final long GENUINE_BYTES = 1L << 30;

  @Test
  void donorsServeContributorsAndRefuseEveryoneElse() throws Exception {
    // One byte held for one second earns one byte of credit; no starter allowance, so only
    // proved contribution counts.
    LedgerSettings ledger = new LedgerSettings(Duration.ofSeconds(1), 0, Duration.ofMillis(50));
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(0).withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
            .withCapacity(1L << 30).withQuotas(1L << 30, Map.of())
            .withAudit(AuditSchedule.manual()).withLedger(ledger))) {
      for (int i = 0; i < 4; i++) {
        cluster.addServer(config -> config.withReaders(POLICY));
      }
      cluster.awaitLiveNodes(4);
      MetadataService meta = cluster.meta();
      StorageServer member = cluster.servers().get(3);
      Path memberKey = cluster.root().resolve("server-3").resolve("node.key");
      PublicKey memberId = member.nodeKey();
      publish(cluster);
      Await.until(LIMIT, "the member holds blobs", () -> member.store().count() > 0);
      String url = "jdbc:cairn://" + cluster.metaHostPort() + "/alice";

      // Credit grows with audited bytes times time, and the member's own donor may already be
      // debited for what it pulled when it took its share. Wait until the credit covers that
      // debit and a whole read of the table (at most twice what the member holds) at the
      // policy's ratio, however fast this machine got here.
      auditUntil(meta, "the member's held bytes are audited and earn enough credit to read",
          () -> meta.ledgerEntry(memberId).auditedBytes() > 0
              && meta.ledgerEntry(memberId).creditBytes()
                  >= meta.ledgerEntry(memberId).debitBytes()
                      + 2 * meta.ledgerEntry(memberId).auditedBytes());

      SQLException anonymous = assertThrows(SQLException.class, () -> count(url, null));
      assertRefused(anonymous, "anonymous readers are not served");

      Path strangerKey = dir.resolve("stranger.key");
      KeyFiles.writeSecretKey(strangerKey, SigningKey.generate(new SecureRandom()));
      SQLException stranger = assertThrows(SQLException.class, () -> count(url, strangerKey));
      assertRefused(stranger, "is not a member");

      assertEquals(ROWS, count(url, memberKey), "a member holding audited data is served");
      cluster.servers().forEach(server -> server.readerGate().sendReceipts());
      long debit = meta.ledgerEntry(memberId).debitBytes();
      assertTrue(debit > 0, "the donors' receipts debit the member: " + debit);

      // Someone deletes the member's blobs and nothing repairs them: the audits must notice.
      member.antiEntropy().close();
      deleteBlobs(cluster.root().resolve("server-3"));
      auditUntil(meta, "a failed audit forfeits the member's credit",
          () -> meta.ledgerEntry(memberId).creditBytes() == 0
              && meta.ledgerEntry(memberId).auditedBytes() == 0);
      Await.until(LIMIT, "the member is refused once donors see its forfeited credit",
          () -> refused(url, memberKey));

      checkReceiptsAreBounded(cluster, memberId);
    }
  }

  /**
   * Forged and replayed receipts are BAD_RECEIPT and leave the debit as it was. Genuine
   * receipts of earlier reads may still arrive meanwhile (donors send them on a schedule; CI
   * saw 5 KiB land between two reads of the debit), so the receipts here are of sizes no such
   * read comes near, and each check is of an order of magnitude, not an exact sum.
   */
  private void checkReceiptsAreBounded(LocalCluster cluster, PublicKey reader) throws Exception {
    MetadataService meta = cluster.meta();
    SigningKey donor = KeyFiles.readSecretKey(cluster.root().resolve("server-0")
        .resolve("node.key"));
    long serial = Long.MAX_VALUE / 2; // above every serial donor 0's own gate signs today
    Receipt genuine = receipt(donor, donor, reader, serial, GENUINE_BYTES);
    Receipt forged = receipt(donor, SigningKey.generate(new SecureRandom()), reader,
        serial + 1, 100 * GENUINE_BYTES);
    try (ConnectionPool pool = new ConnectionPool(LIMIT)) {
      RpcConnection connection = pool.get(meta.address());
      long before = meta.ledgerEntry(reader).debitBytes();
      CairnException forgery = assertThrows(CairnException.class, () -> send(connection, forged));
      assertEquals(ErrorCode.BAD_RECEIPT, forgery.code(), forgery.getMessage());
      long afterForgery = meta.ledgerEntry(reader).debitBytes();
      assertTrue(afterForgery - before < GENUINE_BYTES, "a forgery changes nothing: "
          + before + " then " + afterForgery);
      send(connection, genuine);
      long afterGenuine = meta.ledgerEntry(reader).debitBytes();
      assertTrue(afterGenuine - afterForgery >= GENUINE_BYTES
          && afterGenuine - afterForgery < 2 * GENUINE_BYTES,
          "a genuine receipt debits its bytes: " + afterForgery + " then " + afterGenuine);
      CairnException replay = assertThrows(CairnException.class, () -> send(connection, genuine));
      assertEquals(ErrorCode.BAD_RECEIPT, replay.code(), replay.getMessage());
      assertTrue(replay.getMessage().contains("replay"), replay.getMessage());
      long afterReplay = meta.ledgerEntry(reader).debitBytes();
      assertTrue(afterReplay - afterGenuine < GENUINE_BYTES, "a replay changes nothing: "
          + afterGenuine + " then " + afterReplay);
    }
  }

  private static Receipt receipt(SigningKey donor, SigningKey signer, PublicKey reader,
      long serial, long bytes) {
    byte[] donorKey = donor.publicKey().toBytes();
    long now = System.currentTimeMillis();
    byte[] signature = signer.sign(SignatureDomain.RECEIPT,
        Receipt.signedMessage(donorKey, reader.toBytes(), serial, bytes, now));
    return new Receipt(donorKey, reader.toBytes(), serial, bytes, now, signature);
  }

  private static void send(RpcConnection connection, Receipt receipt) {
    ByteBuf payload = Unpooled.buffer(Receipt.BYTES);
    receipt.writeTo(payload);
    Exchanges.RECEIPT.call(connection, payload, LIMIT);
  }

  private void publish(LocalCluster cluster) throws Exception {
    StringBuilder csv = new StringBuilder("id,fare\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append(i).append(',').append(i % 97).append(".25\n");
    }
    Path file = dir.resolve("trips.csv");
    Files.writeString(file, csv);
    SigningKey writer = SigningKey.generate(new SecureRandom());
    Publisher.publish(PublishRequest.of(cluster.metaAddresses(), writer, "alice", "trips",
        List.of(file)).withSchema("id BIGINT, fare DECIMAL(10,2)").withBatchTargetBytes(4_096),
        ProgressListener.NONE);
  }

  /** Runs audit rounds until {@code condition} holds, bounded by {@link #LIMIT}. */
  private static void auditUntil(MetadataService meta, String what,
      java.util.function.BooleanSupplier condition) {
    Await.until(LIMIT, what, () -> {
      try {
        meta.auditOnce();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
      return condition.getAsBoolean();
    });
  }

  private static void assertRefused(SQLException e, String why) {
    assertTrue(e.getMessage().contains("NOT_A_CONTRIBUTOR"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertEquals("42501", e.getSQLState(), e.getMessage());
  }

  private static boolean refused(String url, Path key) {
    try {
      count(url, key);
      return false;
    } catch (SQLException e) {
      // Refused for its forfeited credit ("has given 0 B"), or, after enough failed audits,
      // for being disqualified: either way by name.
      assertRefused(e, "node " + "");
      return true;
    }
  }

  /** Counts the rows through a connection of its own (a cold cache), as {@code key}'s node. */
  private static long count(String url, Path key) throws SQLException {
    String full = key == null ? url : url + "?node.key=" + key;
    try (Connection connection = DriverManager.getConnection(full);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*), sum(fare) from trips")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void deleteBlobs(Path donorDir) throws Exception {
    try (Stream<Path> files = Files.walk(donorDir.resolve("store").resolve("blobs"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.delete(file);
      }
    }
  }
}
