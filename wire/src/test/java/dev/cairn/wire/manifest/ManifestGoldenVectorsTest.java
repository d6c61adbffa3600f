package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.Fingerprint;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the manifest and key vectors printed in docs/protocol.md sections 3 and 4 against the
 * code, both ways: the doc's bytes decode to the expected fields, and the expected fields
 * encode and sign (Ed25519 is deterministic) to the doc's bytes.
 */
class ManifestGoldenVectorsTest {
  private static final Path PROTOCOL = Path.of("..", "docs", "protocol.md");

  @Test
  void emptyBlobIdMatchesTheDoc() {
    assertArrayEquals(hex("content-id-empty"), ContentId.of(new byte[0]).toBytes());
  }

  @Test
  void goldenKeyMatchesTheDoc() {
    SigningKey key = TestManifests.goldenKey();
    assertEquals(SigningKey.fromSeed(hex("golden-key-seed")).publicKey(), key.publicKey());
    assertArrayEquals(hex("golden-key-public"), key.publicKey().toBytes());
    String fingerprint = new String(hex("golden-key-fingerprint"), StandardCharsets.US_ASCII);
    assertEquals(Fingerprint.parse(fingerprint), key.publicKey().fingerprint());
  }

  @Test
  void signedMessageLayoutMatchesTheDoc() {
    byte[] signedBytes = SignatureDomain.HEARTBEAT.signedBytes(
        "ok".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(hex("signed-message-heartbeat-ok"), signedBytes);
    byte[] signature = TestManifests.goldenKey().sign(SignatureDomain.HEARTBEAT,
        "ok".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(hex("signature-heartbeat-ok"), signature);
  }

  @Test
  void manifestVectorDecodesToTheExpectedFields() {
    SignedManifest signed = ManifestCodec.decode(hex("manifest-v1"));
    Manifest m = signed.manifest();
    assertEquals("orders", m.tableName());
    assertEquals(PublicKey.fromBytes(hex("golden-key-public")), m.writerKey());
    assertEquals(2, m.version());
    assertEquals(ContentId.of("orders version 1".getBytes(StandardCharsets.UTF_8)),
        m.parentId());
    assertEquals(1_767_225_600_000L, m.createdAtMillis());
    assertEquals(3, m.redundancy().replicas());
    assertEquals(ColumnType.decimal(15, 2), m.schema().column(1).type());
    assertEquals(2, m.batches().size());
    assertEquals(new BigDecimal("-12.50"), m.batches().get(1).stats().get(1).min());
    assertNull(m.batches().get(1).stats().get(3).max());
    assertEquals(TestManifests.golden(), m);
    assertArrayEquals(hex("manifest-v1-id"), signed.id().toBytes());
  }

  @Test
  void expectedFieldsEncodeAndSignToTheVector() {
    SignedManifest signed = ManifestCodec.sign(TestManifests.golden(),
        TestManifests.goldenKey());
    assertArrayEquals(hex("manifest-v1"), signed.encoded());
    assertEquals(HexFormat.of().formatHex(hex("manifest-v1-id")), signed.id().toHex());
  }

  @Test
  void everyByteOfTheVectorIsCovered() {
    byte[] vector = hex("manifest-v1");
    for (int i = 0; i < vector.length; i++) {
      byte[] tampered = vector.clone();
      tampered[i] ^= 0x01;
      ManifestCodecTest.expectRejected(tampered, "golden byte " + i);
    }
  }

  /**
   * Returns the bytes of the fenced block {@code ```hex golden=NAME} in docs/protocol.md,
   * whitespace ignored. Private copy of the shared GoldenVectors helper (to be unified).
   */
  static byte[] hex(String name) {
    List<String> lines;
    try {
      lines = Files.readAllLines(PROTOCOL, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROTOCOL.toAbsolutePath(), e);
    }
    String opening = "```hex golden=" + name;
    StringBuilder digits = null;
    for (String line : lines) {
      if (digits == null) {
        if (line.trim().equals(opening)) {
          digits = new StringBuilder();
        }
      } else if (line.trim().startsWith("```")) {
        return HexFormat.of().parseHex(digits.toString());
      } else {
        digits.append(line.replaceAll("\\s+", ""));
      }
    }
    throw new AssertionError("no complete block " + opening + " in " + PROTOCOL);
  }
}
