package dev.cairn.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.manifest.SignedManifest;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a reader combines the heads and timestamps several services offer: the higher version
 * wins, and for one version the longer-valid timestamp; a timestamp of another manifest is
 * never attached; the head refuses with FROZEN once its validity lapses.
 */
class VerifiedHeadFreshnessTest {
  /** A stand-in claim signature: these tests never check it. */
  private static final byte[] CLAIM = new byte[64];

  private static final long CREATED = 1_767_225_600_000L;
  private static final long MINUTE = 60_000L;
  private final SigningKey writer = SigningKey.generate(new SecureRandom());

  private SignedManifest manifest(long version, long refreshEvery) {
    TableSchema schema = new TableSchema(List.of(new Column("id", ColumnType.BIGINT, true)));
    return ManifestCodec.sign(new Manifest("trips", writer.publicKey(), version, null,
        CREATED, refreshEvery, schema, RedundancyPolicy.replicas(1), List.of()), writer);
  }

  @Test
  void theLongerValidTimestampOfOneHeadWinsAndAHigherVersionWinsOverBoth() {
    SignedManifest v1 = manifest(1, MINUTE);
    VerifiedHead bare = new VerifiedHead("alice", CLAIM, v1);
    VerifiedHead shortly = bare.withTimestamp(HeadTimestamp.sign(v1, CREATED + 2 * MINUTE,
        writer));
    VerifiedHead longer = bare.withTimestamp(HeadTimestamp.sign(v1, CREATED + 3 * MINUTE,
        writer));
    assertEquals(CREATED + MINUTE, bare.expiresAtMillis());
    assertSame(longer, VerifiedHead.newer(shortly, longer));
    assertSame(longer, VerifiedHead.newer(longer, shortly));
    assertSame(longer, longer.withTimestamp(shortly.timestamp()), "never shortened");
    VerifiedHead v2 = new VerifiedHead("alice", CLAIM, manifest(2, MINUTE));
    assertSame(v2, VerifiedHead.newer(longer, v2));
  }

  @Test
  void aTimestampOfAnotherManifestIsNeverAttached() {
    SignedManifest v1 = manifest(1, MINUTE);
    SignedManifest sibling = manifest(1, 2 * MINUTE);
    HeadTimestamp forSibling = HeadTimestamp.sign(sibling, CREATED + 3 * MINUTE, writer);
    assertNull(new VerifiedHead("alice", CLAIM, v1).withTimestamp(forSibling).timestamp());
    assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
        () -> new VerifiedHead("alice", CLAIM, v1, forSibling)).code());
  }

  @Test
  void aLapsedHeadIsFrozenAndOneWithoutAPromiseNeverIs() {
    VerifiedHead promised = new VerifiedHead("alice", CLAIM, manifest(1, MINUTE));
    promised.checkNotFrozen(CREATED + MINUTE);
    CairnException e = assertThrows(CairnException.class,
        () -> promised.checkNotFrozen(CREATED + 3 * MINUTE));
    assertEquals(ErrorCode.FROZEN, e.code());
    assertEquals("FROZEN: newest head of alice.trips expired at 2026-01-01T00:01:00Z (promised"
        + " refresh every 1m); the metadata services may be withholding newer versions",
        e.getMessage());
    new VerifiedHead("alice", CLAIM, manifest(1, 0)).checkNotFrozen(Long.MAX_VALUE);
  }
}
