package dev.cairn.meta;

import static dev.cairn.meta.MetaServiceProbe.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.HeadOk;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.TableHead;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names, publishing and reading heads against a real service over loopback. */
class HeadRulesTest {

  @TempDir Path dir;
  private MetadataService service;
  private MetaServiceProbe client;

  @BeforeEach
  void start() {
    service = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir));
    client = new MetaServiceProbe(service.address());
  }

  @AfterEach
  void stop() {
    client.close();
    service.close();
  }

  @Test
  void publishesAChainAndServesEveryVersion() {
    SigningKey writer = TestData.newKey();
    client.claim(writer, "acme");
    SignedManifest v1 = TestData.manifest(writer, "orders", 1, null);
    SignedManifest v2 = TestData.manifest(writer, "orders", 2, v1);

    assertEquals(new HeadOk(v1.id(), 1), client.publish(v1));
    assertEquals(new HeadOk(v2.id(), 2), client.publish(v2));

    TableHead newest = single(client.head("acme", "orders", 0));
    assertArrayEquals(v2.encoded(), newest.manifest());
    assertEquals("acme", newest.schema());
    assertTrue(writer.publicKey().verify(SignatureDomain.CLAIM_NAME,
        ClaimName.signedMessage("acme"), newest.claimSignature()), "claim proof travels along");
    assertArrayEquals(v1.encoded(), single(client.head("acme", "orders", 1)).manifest());
    Heads versions = client.versions("acme", "orders");
    assertEquals(2, versions.heads().size());
    assertArrayEquals(v1.encoded(), versions.heads().get(0).manifest());
    assertArrayEquals(v2.encoded(), versions.heads().get(1).manifest());
    assertEquals(1, client.tables().heads().size());
    assertArrayEquals(v2.encoded(), client.tables().heads().get(0).manifest());
  }

  @Test
  void republishingTheHeadIsIdempotent() {
    SigningKey writer = TestData.newKey();
    client.claim(writer, "acme");
    client.claim(writer, "acme");
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    client.publish(v1);
    assertEquals(new HeadOk(v1.id(), 1), client.publish(v1));
    assertEquals(1, client.versions("acme", "t").heads().size());
  }

  @Test
  void refusesForgedManifests() {
    SigningKey writer = TestData.newKey();
    client.claim(writer, "acme");
    byte[] encoded = TestData.manifest(writer, "t", 1, null).encoded();
    byte[] badSignature = encoded.clone();
    badSignature[badSignature.length - 1] ^= 1;
    expect(ErrorCode.BAD_SIGNATURE, () -> client.publish(badSignature));
    byte[] badBody = encoded.clone();
    badBody[badBody.length - 64 - 20] ^= 1; // inside the last batch's statistics
    ErrorCode code = assertThrowsCode(() -> client.publish(badBody));
    assertTrue(code == ErrorCode.BAD_SIGNATURE || code == ErrorCode.BAD_FORMAT, code.name());
    expect(ErrorCode.BAD_FORMAT, () -> client.publish(new byte[] {1, 2, 3}));
    expect(ErrorCode.NOT_FOUND, () -> client.head("acme", "t", 0));
  }

  @Test
  void refusesOldVersionsAndBrokenChains() {
    SigningKey writer = TestData.newKey();
    client.claim(writer, "acme");
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    SignedManifest v2 = TestData.manifest(writer, "t", 2, v1);
    client.publish(v1);
    client.publish(v2);

    String stale = expect(ErrorCode.STALE_VERSION, () -> client.publish(v1)).getMessage();
    assertTrue(stale.contains("version 1") && stale.contains("head version 2"), stale);
    SignedManifest otherV2 = TestData.manifest(writer, "t", 2, v1);
    expect(ErrorCode.STALE_VERSION, () -> client.publish(otherV2));
    SignedManifest wrongParent = TestData.manifest(writer, "t", 3, v1);
    String parent = expect(ErrorCode.STALE_VERSION, () -> client.publish(wrongParent))
        .getMessage();
    assertTrue(parent.contains("is not the head"), parent);
    SignedManifest orphan = TestData.manifest(writer, "u", 2, v1);
    expect(ErrorCode.STALE_VERSION, () -> client.publish(orphan));
    assertArrayEquals(v2.encoded(), single(client.head("acme", "t", 0)).manifest());
  }

  @Test
  void publishingNeedsAClaimedName() {
    SigningKey writer = TestData.newKey();
    String message = expect(ErrorCode.UNKNOWN_WRITER,
        () -> client.publish(TestData.manifest(writer, "t", 1, null))).getMessage();
    assertTrue(message.contains("claim a name first"), message);
  }

  @Test
  void namesAreFirstComeAndOnePerKey() {
    SigningKey first = TestData.newKey();
    SigningKey second = TestData.newKey();
    client.claim(first, "acme");
    expect(ErrorCode.NAME_TAKEN, () -> client.claim(second, "acme"));
    String message = expect(ErrorCode.NAME_TAKEN, () -> client.claim(first, "other"))
        .getMessage();
    assertTrue(message.contains("already holds the name 'acme'"), message);
    byte[] forged = second.sign(SignatureDomain.CLAIM_NAME, ClaimName.signedMessage("x"));
    expect(ErrorCode.BAD_SIGNATURE, () -> client.claim(
        new ClaimName("zeta", second.publicKey().toBytes(), forged)));
    client.claim(second, "zeta");
  }

  @Test
  void unknownRequestsAreNamedAndTheConnectionStays() {
    expect(ErrorCode.UNKNOWN_TYPE,
        () -> client.call(dev.cairn.wire.frame.FrameType.PUT_BLOB, b -> b.writeByte(1)));
    expect(ErrorCode.BAD_FRAME,
        () -> client.call(dev.cairn.wire.frame.FrameType.LIST_TABLES, b -> b.writeByte(1)));
    assertEquals(0, client.tables().heads().size());
  }

  private static ErrorCode assertThrowsCode(Runnable call) {
    return org.junit.jupiter.api.Assertions.assertThrows(
        dev.cairn.wire.CairnException.class, call::run).code();
  }

  static TableHead single(Heads heads) {
    assertEquals(1, heads.heads().size());
    TableHead head = heads.heads().get(0);
    ManifestCodec.decode(head.manifest()); // what a reader does: verify it
    return head;
  }
}
