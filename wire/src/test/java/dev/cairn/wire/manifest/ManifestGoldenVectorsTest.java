package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.Fingerprint;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the manifest and key vectors printed in docs/protocol.md sections 3 and 4 against the
 * code, both ways: the doc's bytes decode to the expected fields, and the expected fields
 * encode and sign (Ed25519 is deterministic) to the doc's bytes.
 */
class ManifestGoldenVectorsTest {

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
    SignedManifest signed = ManifestCodec.decode(hex("manifest-v2"));
    Manifest m = signed.manifest();
    assertEquals("orders", m.tableName());
    assertEquals(PublicKey.fromBytes(hex("golden-key-public")), m.writerKey());
    assertEquals(2, m.version());
    assertEquals(ContentId.sha256("orders version 1".getBytes(StandardCharsets.UTF_8)),
        m.parentId());
    assertEquals(1_767_225_600_000L, m.createdAtMillis());
    assertEquals(3_600_000L, m.refreshEveryMillis());
    assertEquals(3, m.redundancy().replicas());
    assertEquals(ColumnType.decimal(15, 2), m.schema().column(1).type());
    assertEquals(2, m.batches().size());
    assertEquals(new BigDecimal("-12.50"), m.batches().get(1).stats().get(1).min());
    assertNull(m.batches().get(1).stats().get(3).max());
    assertEquals(ChunkTree.root("orders batch 1".getBytes(StandardCharsets.UTF_8)),
        m.batches().get(1).chunkRoot());
    assertEquals(TestManifests.golden(), m);
    assertArrayEquals(hex("manifest-v2-id"), signed.id().toBytes());
  }

  @Test
  void formatOneVectorStillDecodesWithoutChunkRoots() {
    SignedManifest signed = ManifestCodec.decode(hex("manifest-v1"));
    Manifest m = signed.manifest();
    assertEquals(2, m.batches().size());
    for (BatchRef batch : m.batches()) {
      assertNull(batch.chunkRoot(), "format 1 has no chunk roots");
    }
    assertEquals(TestManifests.goldenFormat1(), m);
    assertArrayEquals(hex("manifest-v1"), signed.encoded(), "the bytes as read, not re-encoded");
    assertArrayEquals(hex("manifest-v1-id"), signed.id().toBytes());
    byte[] body = ManifestCodec.encodeBody(m, 1);
    assertArrayEquals(java.util.Arrays.copyOf(hex("manifest-v1"), body.length), body);
  }

  @Test
  void aBatchWithoutAChunkRootIsWrittenAsZerosInFormatTwo() {
    Manifest m = TestManifests.withRefreshEvery(TestManifests.goldenFormat1(), 3_600_000L);
    SignedManifest signed = ManifestCodec.sign(m, TestManifests.goldenKey());
    assertEquals(Manifest.FORMAT_VERSION_REPLICAS, signed.encoded()[7]);
    assertEquals(m, ManifestCodec.decode(signed.encoded()).manifest());
  }

  @Test
  void anAllZeroChunkRootMeansUnknown() {
    BatchRef g = TestManifests.golden().batches().get(0);
    BatchRef zero = new BatchRef(g.id(), g.byteSize(), g.rowCount(),
        ContentId.fromBytes(new byte[ContentId.BYTES]), g.stats());
    assertNull(zero.chunkRoot());
  }

  @Test
  void expectedFieldsEncodeAndSignToTheVector() {
    SignedManifest signed = ManifestCodec.sign(TestManifests.golden(),
        TestManifests.goldenKey());
    assertArrayEquals(hex("manifest-v2"), signed.encoded());
    assertEquals(HexFormat.of().formatHex(hex("manifest-v2-id")), signed.id().toHex());
  }

  @Test
  void formatOneVectorStillDecodesWithoutAPromiseAndKeepsItsId() {
    SignedManifest signed = ManifestCodec.decode(hex("manifest-v1"));
    assertEquals(TestManifests.goldenFormat1(), signed.manifest());
    assertEquals(0, signed.manifest().refreshEveryMillis());
    assertArrayEquals(hex("manifest-v1-id"), signed.id().toBytes());
    assertArrayEquals(hex("manifest-v1"), signed.encoded(), "kept as given, not re-encoded");
  }

  @Test
  void theHeaderOfBothFormatsIsReadWithoutTheRest() {
    ManifestHeader expected = new ManifestHeader("orders",
        PublicKey.fromBytes(hex("golden-key-public")), 2);
    assertEquals(expected, ManifestHeader.peek(hex("manifest-v1")));
    assertEquals(expected, ManifestHeader.peek(hex("manifest-v2")));
    byte[] cut = Arrays.copyOf(hex("manifest-v2"), 20);
    assertEquals(ErrorCode.BAD_FORMAT,
        assertThrows(CairnException.class, () -> ManifestHeader.peek(cut)).code());
  }

  @Test
  void headTimestampVectorMatchesTheDoc() {
    SignedManifest head = ManifestCodec.decode(hex("manifest-v2"));
    HeadTimestamp signed = HeadTimestamp.sign(head, 1_767_229_200_000L,
        TestManifests.goldenKey());
    assertArrayEquals(hex("head-timestamp"), signed.encoded());
    HeadTimestamp decoded = HeadTimestamp.decode(hex("head-timestamp"));
    assertEquals(signed, decoded);
    assertTrue(decoded.matches(head));
    assertEquals(1_767_229_200_000L, decoded.validUntilMillis());
  }

  @Test
  void evolvedManifestEncodesAndSignsToTheFormatFourVector() {
    SignedManifest signed = ManifestCodec.sign(TestManifests.goldenEvolved(),
        TestManifests.goldenKey());
    assertEquals(4, signed.encoded()[7]);
    assertArrayEquals(hex("manifest-v4"), signed.encoded());
    assertArrayEquals(hex("manifest-v4-id"), signed.id().toBytes());
  }

  @Test
  void formatFourVectorDecodesToTheTableAndItsBatchesStoredColumns() {
    SignedManifest signed = ManifestCodec.decode(hex("manifest-v4"));
    Manifest m = signed.manifest();
    assertEquals(TestManifests.goldenEvolved(), m);
    assertEquals(List.of(0, 1, 2, 3, 4), m.schema().columnIds());
    BatchRef old = m.batches().get(0);
    assertEquals(ColumnType.INTEGER, m.storedSchema(old).column(0).type());
    assertEquals(4, m.storedSchema(old).size());
    assertEquals(m.schema(), m.storedSchema(m.batches().get(2)));
    // In the table's terms: the INTEGER bound reads as BIGINT, the missing column as all NULL.
    assertEquals(1L, m.tableStats(old).get(0).min());
    assertEquals(new ColumnStats(100, null, null), m.tableStats(old).get(4));
    assertEquals(new ManifestHeader("orders", PublicKey.fromBytes(hex("golden-key-public")), 3),
        ManifestHeader.peek(hex("manifest-v4")));
  }

  @Test
  void everyByteOfTheVectorsIsCovered() {
    for (String name : new String[] {"manifest-v1", "manifest-v2", "manifest-v4"}) {
      byte[] vector = hex(name);
      for (int i = 0; i < vector.length; i++) {
        byte[] tampered = vector.clone();
        tampered[i] ^= 0x01;
        ManifestCodecTest.expectRejected(tampered, name + " byte " + i);
      }
    }
  }

  static byte[] hex(String name) {
    return dev.cairn.wire.GoldenVectors.hex(name);
  }
}
