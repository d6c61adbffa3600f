package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.GoldenVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Format 3: erasure-coded manifests with shard ids, and the rules that keep them canonical. */
class ErasureManifestTest {

  @Test
  void goldenErasureManifestSignsToTheVectorAndDecodesBack() {
    SignedManifest signed = ManifestCodec.sign(TestManifests.goldenErasure(),
        TestManifests.goldenKey());
    assertArrayEquals(GoldenVectors.hex("manifest-v3"), signed.encoded());
    SignedManifest decoded = ManifestCodec.decode(GoldenVectors.hex("manifest-v3"));
    assertEquals(TestManifests.goldenErasure(), decoded.manifest());
    assertEquals(RedundancyPolicy.erasure(4, 2), decoded.manifest().redundancy());
    assertEquals(6, decoded.manifest().batches().get(1).shardIds().size());
    assertArrayEquals(GoldenVectors.hex("manifest-v3-id"), decoded.id().toBytes());
    assertEquals(3, decoded.manifest().formatVersion());
  }

  @Test
  void replicatedManifestsStayInFormatTwo() {
    SignedManifest signed = ManifestCodec.sign(TestManifests.golden(), TestManifests.goldenKey());
    assertEquals(2, signed.encoded()[7]);
  }

  @Test
  void formatAndRedundancyKindMustAgree() {
    byte[] erasure = ManifestCodec.encodeBody(TestManifests.goldenErasure());
    int kindOffset = kindOffset(erasure);
    byte[] asFormatTwo = erasure.clone();
    asFormatTwo[7] = 2;
    assertBadFormat(asFormatTwo, "redundancy kind 2 in format 2");
    byte[] replicas = ManifestCodec.encodeBody(TestManifests.golden());
    byte[] asFormatThree = replicas.clone();
    asFormatThree[7] = 3;
    assertBadFormat(asFormatThree, "redundancy kind 1 in format 3");
    assertEquals(2, erasure[kindOffset]);
  }

  @Test
  void shardCountsOutOfBoundsAreRefused() {
    byte[] body = ManifestCodec.encodeBody(TestManifests.goldenErasure());
    int kindOffset = kindOffset(body);
    byte[] zeroData = body.clone();
    zeroData[kindOffset + 1] = 0;
    assertBadFormat(zeroData, "not 0+2");
    byte[] tooWide = body.clone();
    tooWide[kindOffset + 1] = 31;
    assertBadFormat(tooWide, "not 31+2");
    byte[] huge = body.clone();
    huge[kindOffset + 1] = (byte) 255;
    huge[kindOffset + 2] = (byte) 255;
    assertBadFormat(huge, "not 255+255");
  }

  @Test
  void aBatchMustListOneIdPerShard() {
    Manifest m = TestManifests.goldenErasure();
    BatchRef first = m.batches().get(0);
    BatchRef short1 = first.withShards(first.shardIds().subList(0, 5));
    CairnException e = assertThrows(CairnException.class, () -> new Manifest(m.tableName(),
        m.writerKey(), m.version(), m.parentId(), m.createdAtMillis(), m.schema(),
        m.redundancy(), List.of(short1)));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains("lists 5 shards"), e.getMessage());
    CairnException replicated = assertThrows(CairnException.class, () -> new Manifest(
        m.tableName(), m.writerKey(), m.version(), m.parentId(), m.createdAtMillis(),
        m.schema(), RedundancyPolicy.replicas(3), List.of(first)));
    assertTrue(replicated.getMessage().contains("lists 6 shards"), replicated.getMessage());
  }

  @Test
  void policyBoundsAreNamed() {
    assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
        () -> RedundancyPolicy.erasure(30, 3)).code());
    assertEquals(32, RedundancyPolicy.erasure(16, 16).shardCount());
    assertThrows(IllegalStateException.class, () -> RedundancyPolicy.erasure(4, 2).replicas());
    assertEquals("ERASURE(4+2)", RedundancyPolicy.erasure(4, 2).toString());
  }

  /** Finds the redundancy kind byte: after magic, format, name, key, 3 longs, parent. */
  private static int kindOffset(byte[] body) {
    int nameLength = (body[8] & 0xff) << 8 | (body[9] & 0xff);
    int offset = 7 + 1 + 2 + nameLength + 32 + 8 + 8 + 8;
    return offset + 1 + (body[offset] == 1 ? ContentId.BYTES : 0);
  }

  private static void assertBadFormat(byte[] body, String expected) {
    CairnException e = assertThrows(CairnException.class,
        () -> ManifestCodec.parseBody(body, body.length));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
