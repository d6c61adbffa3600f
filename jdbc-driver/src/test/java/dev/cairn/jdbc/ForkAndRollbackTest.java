package dev.cairn.jdbc;

import static dev.cairn.jdbc.TestCluster.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a metadata rollback can never make a reader or the writer accept a second, different
 * version N. A metadata service restored from an old {@code heads.log} and restarted, then
 * given a competing version by a writer without its head record: the reader that saw the
 * first version N reports FORK, and the writer with its record refuses to publish. Without a
 * competing publish, the writer restores its version on the service and publishes the next.
 * A restarted reader (same cache directory) never goes below what it saw: it answers from the
 * signed head it holds.
 */
class ForkAndRollbackTest {
  private static final Duration TIMEOUT = TestCluster.TIMEOUT;
  private static final String SCHEMA = "n BIGINT NOT NULL";

  @TempDir Path dir;
  private TestCluster cluster;
  private LocalCluster local;
  private ConnectionPool pool;
  private SigningKey key;

  @BeforeEach
  void start() throws IOException {
    cluster = TestCluster.start(dir.resolve("cluster"), 2);
    local = cluster.local();
    pool = cluster.pool;
    key = cluster.writer;
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private InetSocketAddress meta() {
    return local.metas().get(0).address();
  }

  /** Publishes {@code rows} rows (0..rows-1) as alice.t to {@code metas}. */
  private PublishResult publish(int rows, Path headRecord, List<InetSocketAddress> metas)
      throws IOException {
    return cluster.publish("t", TestCluster.numbers(rows), metas, request -> request
        .withSchema(SCHEMA).withReplicas(1).withHeadRecord(headRecord));
  }

  private Path record() {
    return PublishRequest.headRecordBeside(dir.resolve("alice.key"));
  }

  /** Restarts the first metadata service on {@code backup}, a copy of an older heads.log. */
  private void restoreHeadLog(Path backup) {
    local.restartMeta(0, data -> {
      try {
        Files.copy(backup, data.resolve(MetadataService.HEAD_LOG_FILE),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private Path backupHeadLog(String name) throws IOException {
    Path backup = dir.resolve(name);
    Files.copy(dir.resolve("cluster/meta").resolve(MetadataService.HEAD_LOG_FILE), backup);
    return backup;
  }

  private String url(String parameters) {
    return "jdbc:cairn://" + HostPort.format(meta()) + "/alice?" + parameters;
  }

  @Test
  void aRollbackWithACompetingPublishIsAForkForTheReaderAndTheWriter() throws Exception {
    List<InetSocketAddress> first = List.of(meta());
    publish(1, record(), first);
    Path afterV1 = backupHeadLog("heads-v1.log");
    PublishResult v2 = publish(2, record(), first);
    String cache = "cache.dir=" + dir.resolve("reader");
    PublishResult rival;
    try (Connection reader = DriverManager.getConnection(url(cache))) {
      assertEquals(2, count(reader, "t"));
      restoreHeadLog(afterV1);
      // A copy of the key without its head record: it cannot know v2 existed.
      rival = publish(3, null, first);
      assertEquals(2, rival.version(), "the rolled-back service took a different v2");
      SQLException e = assertThrows(SQLException.class, () -> count(reader, "t"));
      assertEquals("55000", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().startsWith("FORK: alice.t v2 is "
          + v2.manifestId().toShortHex() + ".. here"), e.getMessage());
      assertTrue(e.getMessage().contains(rival.manifestId().toShortHex()), e.getMessage());
    }
    // A restarted reader (another runtime over the same directory) remembers it too.
    try (Connection restarted = DriverManager.getConnection(url(cache + "&cache.size=64MiB"))) {
      SQLException e = assertThrows(SQLException.class, () -> count(restarted, "t"));
      assertTrue(e.getMessage().startsWith("FORK: "), e.getMessage());
    }
    CairnException refused = assertThrows(CairnException.class,
        () -> publish(4, record(), first));
    assertEquals(ErrorCode.FORK, refused.code(), refused.getMessage());
    assertTrue(refused.getMessage().contains(v2.manifestId().toShortHex())
        && refused.getMessage().contains(rival.manifestId().toShortHex()),
        refused.getMessage());
  }

  @Test
  void aPlainRollbackIsRestoredByTheWriterBeforeItPublishesTheNextVersion() throws Exception {
    List<InetSocketAddress> first = List.of(meta());
    publish(1, record(), first);
    Path afterV1 = backupHeadLog("heads-v1.log");
    PublishResult v2 = publish(2, record(), first);
    restoreHeadLog(afterV1);
    MetaClient service = new MetaClient(pool, first, TIMEOUT);
    assertEquals(1, service.head("alice", "t").orElseThrow().version(), "rolled back");
    PublishResult v3 = publish(3, record(), first);
    assertEquals(3, v3.version());
    List<VerifiedHead> versions = service.versions("alice", "t");
    assertEquals(List.of(1L, 2L, 3L), versions.stream().map(VerifiedHead::version).toList());
    assertEquals(v2.manifestId(), versions.get(1).id(), "the writer's own v2 was restored");
    assertEquals(v2.manifestId(), versions.get(2).signed().manifest().parentId());
  }

  @Test
  void aRestartedReaderIsNeverRolledBackBelowWhatItSaw() throws Exception {
    List<InetSocketAddress> first = List.of(meta());
    Path afterV4 = null;
    for (int version = 1; version <= 5; version++) {
      publish(version, null, first);
      if (version == 4) {
        afterV4 = backupHeadLog("heads-v4.log");
      }
    }
    String cache = "cache.dir=" + dir.resolve("reader");
    try (Connection reader = DriverManager.getConnection(url(cache))) {
      assertEquals(5, count(reader, "t"));
    }
    restoreHeadLog(afterV4);
    // Another cache size is another runtime: it knows only what the directory remembers.
    // The directory holds v5's signed head: the service offers v4, the reader answers v5.
    try (Connection restarted = DriverManager.getConnection(url(cache + "&cache.size=96MiB"))) {
      assertEquals(5, count(restarted, "t"));
      assertEquals(4, count(restarted, "t$v4"), "naming the old version reads it on purpose");
    }
  }

  @Test
  void twoServicesWithDifferentHeadsAreAForkWhateverTheOrderOfTheirAddresses()
      throws Exception {
    InetSocketAddress a = local.metas().get(0).address();
    InetSocketAddress b = local.metas().get(1).address();
    publish(1, null, List.of(a, b));
    PublishResult onA = publish(2, null, List.of(a));
    PublishResult onB = publish(3, null, List.of(b));
    for (String order : List.of(HostPort.format(a) + "," + HostPort.format(b),
        HostPort.format(b) + "," + HostPort.format(a))) {
      try (Connection c = DriverManager.getConnection("jdbc:cairn://" + order + "/alice")) {
        SQLException e = assertThrows(SQLException.class, () -> count(c, "t"));
        assertEquals("55000", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().startsWith("FORK: alice.t v2 is "), e.getMessage());
        assertTrue(e.getMessage().contains(onA.manifestId().toShortHex())
            && e.getMessage().contains(onB.manifestId().toShortHex()), e.getMessage());
        assertEquals(1, count(c, "t$v1"), "unforked history stays readable");
      }
    }
  }

  @Test
  void gossipingServicesKeepAForkAndTheReaderReportsItUntilASuccessorResolvesIt()
      throws Exception {
    Manifests m = new Manifests(key);
    SignedManifest v1 = m.version(1, null);
    SignedManifest onA = m.version(2, v1);
    SignedManifest onB = m.version(2, v1);
    Path dataA = dir.resolve("meta-a");
    Path dataB = dir.resolve("meta-b");
    try (MetadataService a = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0,
            dataA));
        MetadataService b = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0,
            dataB))) {
      MetaClient both = new MetaClient(pool, List.of(a.address(), b.address()), TIMEOUT);
      both.claimName(key, "alice");
      both.publishHead("alice", v1);
      both.publishTo(a.address(), onA);
      both.publishTo(b.address(), onB);
    }
    int portA = freePort();
    int portB = freePort();
    InetSocketAddress addressA = new InetSocketAddress("127.0.0.1", portA);
    InetSocketAddress addressB = new InetSocketAddress("127.0.0.1", portB);
    try (MetadataService a = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", portA,
            dataA).withPeers(List.of(addressB)).withGossipInterval(Duration.ofMillis(100)));
        MetadataService b = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", portB,
            dataB).withPeers(List.of(addressA)).withGossipInterval(Duration.ofMillis(100)))) {
      for (InetSocketAddress service : List.of(addressA, addressB)) {
        MetaClient one = new MetaClient(pool, List.of(service), TIMEOUT);
        Await.until(TIMEOUT, "both heads of v2 on " + service, () -> "not yet",
            () -> one.headsByService("alice", "t", 0).get(service).size() == 2);
        try (Connection c = DriverManager.getConnection("jdbc:cairn://"
            + HostPort.format(service) + "/alice")) {
          SQLException e = assertThrows(SQLException.class, () -> count(c, "t"));
          assertEquals("55000", e.getSQLState(), e.getMessage());
          assertTrue(e.getMessage().contains(onA.id().toShortHex())
              && e.getMessage().contains(onB.id().toShortHex()), e.getMessage());
        }
      }
      SignedManifest v3 = m.version(3, onA);
      new MetaClient(pool, List.of(addressA), TIMEOUT).publishTo(addressA, v3);
      MetaClient onlyB = new MetaClient(pool, List.of(addressB), TIMEOUT);
      Await.until(TIMEOUT, "v3 on B", () -> "not yet", () -> {
        try {
          return onlyB.head("alice", "t").orElseThrow().version() == 3;
        } catch (CairnException e) {
          return false; // still forked there
        }
      });
      try (Connection c = DriverManager.getConnection("jdbc:cairn://"
          + HostPort.format(addressB) + "/alice")) {
        assertEquals(0, count(c, "t"), "the successor (no batches) reads");
      }
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Signed manifests of alice.t without batches: the metadata service never fetches any. */
  private record Manifests(SigningKey key) {
    private static final java.util.concurrent.atomic.AtomicLong CREATED =
        new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

    SignedManifest version(long version, SignedManifest parent) {
      // Each a different creation time: two versions 2 with one parent must differ.
      return ManifestCodec.sign(new Manifest("t", key.publicKey(), version,
          parent == null ? null : parent.id(), CREATED.incrementAndGet(), new TableSchema(List.of(
          new Column("n", ColumnType.BIGINT, false))), RedundancyPolicy.replicas(1),
          List.of()), key);
    }
  }
}
