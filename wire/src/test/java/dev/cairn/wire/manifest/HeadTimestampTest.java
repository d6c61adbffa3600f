package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Head timestamps (protocol.md 4.7): strict decoding, signatures, and the validity rules. */
class HeadTimestampTest {
  private static final long CREATED = TestManifests.golden().createdAtMillis();
  private static final long HOUR = 3_600_000L;

  private static SignedManifest promised() {
    return ManifestCodec.sign(TestManifests.golden(), TestManifests.goldenKey());
  }

  @Test
  void aForgedOrTamperedTimestampIsRefused() {
    byte[] good = HeadTimestamp.sign(promised(), CREATED + 2 * HOUR, TestManifests.goldenKey())
        .encoded();
    for (int i = 0; i < good.length; i++) {
      byte[] tampered = good.clone();
      tampered[i] ^= 0x01;
      CairnException e = assertThrows(CairnException.class, () -> HeadTimestamp.decode(tampered),
          "byte " + i);
      assertTrue(e.code() == ErrorCode.BAD_SIGNATURE || e.code() == ErrorCode.BAD_FORMAT,
          e.getMessage());
    }
  }

  @Test
  void onlyTheWriterKeySignsAndLengthsAreBoundedFirst() {
    SigningKey stranger = SigningKey.generate(new SecureRandom());
    assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(CairnException.class,
        () -> HeadTimestamp.sign(promised(), CREATED, stranger)).code());
    byte[] good = HeadTimestamp.sign(promised(), CREATED, TestManifests.goldenKey()).encoded();
    for (int length : new int[] {0, 63, good.length - 1, HeadTimestamp.BYTES_MAX + 1}) {
      byte[] cut = Arrays.copyOf(good, length);
      assertThrows(CairnException.class, () -> HeadTimestamp.decode(cut), "length " + length);
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThrows(CairnException.class, () -> HeadTimestamp.decode(longer));
  }

  @Test
  void aManifestWithoutAPromiseNeverExpires() {
    SignedManifest none = ManifestCodec.sign(TestManifests.goldenFormat1(),
        TestManifests.goldenKey());
    assertEquals(Long.MAX_VALUE, HeadValidity.expiresAtMillis(none, null));
    assertFalse(HeadValidity.expired(none, null, Long.MAX_VALUE));
    HeadValidity.checkNotFrozen("alice", none, null, Long.MAX_VALUE);
  }

  @Test
  void aPromisedHeadExpiresAfterItsPeriodAndTheSkewAllowance() {
    SignedManifest head = promised();
    long allowance = HeadValidity.skewAllowanceMillis(HOUR);
    assertEquals(30_000L, allowance);
    assertEquals(CREATED + HOUR, HeadValidity.expiresAtMillis(head, null));
    assertFalse(HeadValidity.expired(head, null, CREATED + HOUR + allowance));
    assertTrue(HeadValidity.expired(head, null, CREATED + HOUR + allowance + 1));
    CairnException e = assertThrows(CairnException.class, () ->
        HeadValidity.checkNotFrozen("alice", head, null, CREATED + 2 * HOUR));
    assertEquals(ErrorCode.FROZEN, e.code());
    assertEquals("FROZEN: newest head of alice.orders expired at 2026-01-01T01:00:00Z (promised"
        + " refresh every 1h); the metadata services may be withholding newer versions",
        e.getMessage());
  }

  @Test
  void aTimestampExtendsOnlyTheExactManifestItNames() {
    SignedManifest head = promised();
    HeadTimestamp later = HeadTimestamp.sign(head, CREATED + 5 * HOUR, TestManifests.goldenKey());
    assertEquals(CREATED + 5 * HOUR, HeadValidity.expiresAtMillis(head, later));
    HeadTimestamp earlier = HeadTimestamp.sign(head, CREATED + 1, TestManifests.goldenKey());
    assertEquals(CREATED + HOUR, HeadValidity.expiresAtMillis(head, earlier), "never shortens");
    Manifest sibling = TestManifests.withRefreshEvery(TestManifests.golden(), 2 * HOUR);
    SignedManifest other = ManifestCodec.sign(sibling, TestManifests.goldenKey());
    assertFalse(later.matches(other), "same table and version, another manifest id");
    assertEquals(CREATED + 2 * HOUR, HeadValidity.expiresAtMillis(other, later));
  }

  @Test
  void theBoundAheadIsTwoPeriodsAndTheAllowance() {
    assertEquals(1_000 + 2 * 2_000 + 2_000, HeadValidity.validUntilMaxMillis(2_000, 1_000));
    assertEquals(2 * HOUR + 30_000, HeadValidity.validUntilMaxMillis(HOUR, 0));
  }

  @Test
  void promisesOutsideTheirBoundsAreBadFormat() {
    for (long bad : new long[] {-1, 1, 999, Manifest.REFRESH_EVERY_MILLIS_MAX + 1}) {
      assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
          () -> TestManifests.withRefreshEvery(TestManifests.golden(), bad)).code(), "" + bad);
    }
  }
}
