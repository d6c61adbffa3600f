package dev.cairn.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.TableHead;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metadata client against two in-test services: verification, fan-out, dead services. */
class MetaClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final TableSchema SCHEMA = new TableSchema(List.of(
      new Column("id", ColumnType.BIGINT, true)));

  private final SigningKey writer = SigningKey.generate(new SecureRandom());
  private FakeMetaService first;
  private FakeMetaService second;
  private ConnectionPool pool;
  private final List<String> problems = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    first = new FakeMetaService();
    second = new FakeMetaService();
    pool = new ConnectionPool(TIMEOUT);
  }

  @AfterEach
  void stop() {
    pool.close();
    first.close();
    second.close();
  }

  private MetaClient client(InetSocketAddress... services) {
    return new MetaClient(pool, List.of(services), TIMEOUT,
        (service, why) -> problems.add(why.getMessage()));
  }

  private SignedManifest manifest(SigningKey key, long version, SignedManifest parent) {
    return ManifestCodec.sign(new Manifest("t", key.publicKey(), version,
        parent == null ? null : parent.id(), 1000, SCHEMA, RedundancyPolicy.replicas(1),
        List.of()), key);
  }

  @Test
  void headIsTheNewestThatVerifiesAmongAllServices() {
    MetaClient meta = client(first.address(), second.address());
    meta.claimName(writer, "acme");
    meta.claimName(writer, "acme");
    SignedManifest v1 = manifest(writer, 1, null);
    assertEquals(2, meta.publishHead("acme", v1).accepted().size());
    SignedManifest v2 = manifest(writer, 2, v1);
    MetaClient onlySecond = client(second.address());
    onlySecond.publishHead("acme", v2);
    assertEquals(2, meta.head("acme", "t").orElseThrow().version());
    assertEquals(List.of(1L, 2L), meta.versions("acme", "t").stream()
        .map(VerifiedHead::version).toList());
    assertEquals(1, meta.tables().heads().size());
    assertTrue(meta.head("acme", "other").isEmpty());
  }

  @Test
  void twoServicesWithDifferentHeadsForOneVersionAreAForkWhateverTheirOrder() {
    client(first.address(), second.address()).claimName(writer, "acme");
    SignedManifest v1 = manifest(writer, 1, null);
    SignedManifest rival = ManifestCodec.sign(new Manifest("t", writer.publicKey(), 1, null,
        2000, SCHEMA, RedundancyPolicy.replicas(1), List.of()), writer);
    client(first.address()).publishHead("acme", v1);
    client(second.address()).publishHead("acme", rival);
    for (MetaClient meta : List.of(client(first.address(), second.address()),
        client(second.address(), first.address()))) {
      CairnException e = assertThrows(CairnException.class, () -> meta.head("acme", "t"));
      assertEquals(ErrorCode.FORK, e.code());
      assertTrue(e.getMessage().contains("acme.t v1 is "), e.getMessage());
      assertTrue(e.getMessage().contains(v1.id().toShortHex())
          && e.getMessage().contains(rival.id().toShortHex()), e.getMessage());
      MetaClient.TableListing listing = meta.tables();
      assertEquals(List.of(), listing.heads(), "neither head is served as the newest");
      assertEquals(1, listing.forks().size());
      assertEquals(2, meta.versions("acme", "t").size(), "history shows both heads");
    }
  }

  @Test
  void forgedHeadsAreIgnoredAndReported() {
    MetaClient meta = client(first.address(), second.address());
    meta.claimName(writer, "acme");
    SignedManifest v1 = manifest(writer, 1, null);
    meta.publishHead("acme", v1);
    SigningKey forger = SigningKey.generate(new SecureRandom());
    byte[] forgedClaim = forger.sign(SignatureDomain.CLAIM_NAME, ClaimName.signedMessage("x"));
    first.plant("t", new TableHead("acme", forgedClaim, manifest(forger, 9, v1).encoded()));
    assertEquals(1, meta.head("acme", "t").orElseThrow().version());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("BAD_SIGNATURE")), problems.toString());
  }

  @Test
  void republishingTheSameVersionCountsAsAccepted() {
    MetaClient meta = client(first.address(), second.address());
    meta.claimName(writer, "acme");
    SignedManifest v1 = manifest(writer, 1, null);
    client(first.address()).publishHead("acme", v1);
    MetaClient.PublishOutcome outcome = meta.publishHead("acme", v1);
    assertEquals(2, outcome.accepted().size(), outcome.failures().toString());
    SignedManifest other = manifest(writer, 1, null);
    SignedManifest rival = ManifestCodec.sign(new Manifest("t", writer.publicKey(), 1, null,
        2000, SCHEMA, RedundancyPolicy.replicas(1), List.of()), writer);
    assertEquals(v1.id(), other.id());
    CairnException e = assertThrows(CairnException.class, () -> meta.publishHead("acme", rival));
    assertEquals(ErrorCode.STALE_VERSION, e.code());
  }

  @Test
  void aDeadServiceIsToleratedAndNameTakenIsFatal() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    MetaClient meta = client(new InetSocketAddress("127.0.0.1", deadPort), first.address());
    meta.claimName(writer, "acme");
    meta.publishHead("acme", manifest(writer, 1, null));
    assertEquals(1, meta.head("acme", "t").orElseThrow().version());
    assertTrue(meta.nodes().isEmpty());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("IO_ERROR")), problems.toString());
    SigningKey other = SigningKey.generate(new SecureRandom());
    CairnException e = assertThrows(CairnException.class, () -> meta.claimName(other, "acme"));
    assertEquals(ErrorCode.NAME_TAKEN, e.code());
    MetaClient allDead = client(new InetSocketAddress("127.0.0.1", deadPort));
    assertEquals(ErrorCode.IO_ERROR, assertThrows(CairnException.class,
        () -> allDead.head("acme", "t")).code());
  }
}
