package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
  private final SigningKey key = SigningKey.generate(new SecureRandom());

  private List<Manifest> samples() {
    return List.of(TestManifests.golden(), TestManifests.everyType(key),
        TestManifests.empty(key));
  }

  private SignedManifest signed(Manifest manifest) {
    SigningKey signer = manifest.writerKey().equals(key.publicKey())
        ? key : TestManifests.goldenKey();
    return ManifestCodec.sign(manifest, signer);
  }

  @Test
  void roundTripsEverySample() {
    for (Manifest manifest : samples()) {
      SignedManifest signed = signed(manifest);
      SignedManifest decoded = ManifestCodec.decode(signed.encoded());
      assertEquals(manifest, decoded.manifest());
      assertEquals(manifest.hashCode(), decoded.manifest().hashCode());
      assertEquals(signed, decoded);
      assertEquals(signed.id(), decoded.id());
      assertEquals(ContentId.sha256(signed.encoded()), decoded.id());
      assertArrayEquals(signed.signature(), decoded.signature());
    }
  }

  @Test
  void aVarbinaryBoundIsRefusedOnBothPaths() {
    Manifest every = TestManifests.everyType(TestManifests.goldenKey());
    int binary = every.schema().size() - 1;
    assertEquals(ColumnType.VARBINARY, every.schema().column(binary).type());
    List<ColumnStats> stats = new java.util.ArrayList<>(every.batches().get(1).stats());
    stats.set(binary, new ColumnStats(0, "ab", null));
    BatchRef small = every.batches().get(1);
    CairnException e = assertThrows(CairnException.class, () -> new Manifest(every.tableName(),
        every.writerKey(), every.version(), every.parentId(), every.createdAtMillis(),
        every.schema(), every.redundancy(),
        List.of(new BatchRef(small.id(), small.byteSize(), small.rowCount(), null, stats))));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    // A signed min for the VARBINARY column of the last batch: presence is the body's last byte.
    byte[] encoded = signed(every).encoded();
    int bodyLength = encoded.length - 64;
    byte[] forged = Arrays.copyOf(encoded, bodyLength + Long.BYTES);
    Arrays.fill(forged, bodyLength, forged.length, (byte) 0);
    forged[bodyLength - 1] = 1;
    expectRejected(resign(forged), "a VARBINARY min");
  }

  @Test
  void encodingIsCanonical() {
    for (Manifest manifest : samples()) {
      byte[] body = ManifestCodec.encodeBody(manifest);
      Manifest rebuilt = new Manifest(manifest.tableName(), manifest.writerKey(),
          manifest.version(), manifest.parentId(), manifest.createdAtMillis(),
          manifest.refreshEveryMillis(), manifest.schema(), manifest.redundancy(),
          List.copyOf(manifest.batches()));
      assertArrayEquals(body, ManifestCodec.encodeBody(rebuilt));
      assertArrayEquals(body, ManifestCodec.encodeBody(
          ManifestCodec.decode(signed(manifest).encoded()).manifest()));
      assertArrayEquals(body, Arrays.copyOf(signed(manifest).encoded(), body.length));
    }
  }

  @Test
  void signatureCoversTheBodyInTheManifestDomain() {
    SignedManifest signed = signed(TestManifests.golden());
    byte[] body = ManifestCodec.encodeBody(signed.manifest());
    assertTrue(signed.manifest().writerKey().verify(SignatureDomain.MANIFEST, body,
        signed.signature()));
    assertEquals(false, signed.manifest().writerKey().verify(SignatureDomain.PUT_BLOB, body,
        signed.signature()));
  }

  @Test
  void negativeZeroBoundIsStoredAsPositiveZero() {
    Manifest manifest = TestManifests.everyType(key);
    Object min = manifest.batches().get(1).stats().get(2).min();
    assertEquals(0L, Double.doubleToRawLongBits((Double) min));
  }

  @Test
  void everyTamperedByteIsRejected() {
    for (Manifest manifest : samples()) {
      byte[] good = signed(manifest).encoded();
      for (int i = 0; i < good.length; i++) {
        for (int mask : new int[] {0x01, 0x80, 0xff}) {
          byte[] tampered = good.clone();
          tampered[i] ^= (byte) mask;
          expectRejected(tampered, "byte " + i + " xor " + mask);
        }
      }
    }
  }

  @Test
  void everyTruncationIsBadFormat() {
    byte[] good = signed(TestManifests.golden()).encoded();
    for (int length = 0; length < good.length; length++) {
      byte[] truncated = Arrays.copyOf(good, length);
      CairnException e = assertThrows(CairnException.class,
          () -> ManifestCodec.decode(truncated), "length " + length);
      // Cutting the tail moves the signature window into the body: still a format error.
      assertEquals(ErrorCode.BAD_FORMAT, e.code(), "length " + length + ": " + e.getMessage());
    }
  }

  @Test
  void trailingBytesAreBadFormat() {
    byte[] good = signed(TestManifests.golden()).encoded();
    for (int extra : new int[] {0, 1, 0xff}) {
      byte[] longer = Arrays.copyOf(good, good.length + 1);
      longer[good.length] = (byte) extra;
      assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
          () -> ManifestCodec.decode(longer)).code());
    }
  }

  @Test
  void hugeBatchCountIsRefusedBeforeAllocating() {
    Manifest empty = TestManifests.empty(key);
    byte[] body = ManifestCodec.encodeBody(empty);
    int countOffset = body.length - 4;
    for (long count : new long[] {0xFFFF_FFFFL, Manifest.BATCHES_MAX, 1}) {
      byte[] mutated = body.clone();
      for (int i = 0; i < 4; i++) {
        mutated[countOffset + i] = (byte) (count >>> (24 - 8 * i));
      }
      CairnException e = assertThrows(CairnException.class,
          () -> ManifestCodec.decode(resign(mutated)));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
      assertTrue(e.getMessage().contains("batch count"), e.getMessage());
    }
  }

  @Test
  void oversizedInputIsRefusedFirst() {
    // A sparse-looking array: the size check must fire before the magic is even read.
    byte[] huge = new byte[ManifestCodec.MANIFEST_BYTES_MAX + 1];
    CairnException e = assertThrows(CairnException.class, () -> ManifestCodec.decode(huge));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void nonMinimalDecimalIsBadFormatEvenWhenSigned() {
    Manifest golden = TestManifests.golden();
    byte[] body = ManifestCodec.encodeBody(golden);
    // 857.71 is unscaled 85771 = 0x01 0x4f 0x0b, stored after length 3; pad it to 4 bytes.
    int at = indexOf(body, new byte[] {3, 0x01, 0x4f, 0x0b});
    byte[] padded = new byte[body.length + 1];
    System.arraycopy(body, 0, padded, 0, at);
    padded[at] = 4;
    padded[at + 1] = 0;
    System.arraycopy(body, at + 1, padded, at + 2, body.length - at - 1);
    CairnException e = assertThrows(CairnException.class,
        () -> ManifestCodec.decode(resign(padded)));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains("minimal"), e.getMessage());
  }

  @Test
  void signingWithAnotherKeyIsRefused() {
    CairnException e = assertThrows(CairnException.class,
        () -> ManifestCodec.sign(TestManifests.golden(), key));
    assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
  }

  @Test
  void signatureByAnotherKeyIsBadSignature() {
    byte[] body = ManifestCodec.encodeBody(TestManifests.golden());
    byte[] signature = key.sign(SignatureDomain.MANIFEST, body);
    byte[] encoded = Arrays.copyOf(body, body.length + signature.length);
    System.arraycopy(signature, 0, encoded, body.length, signature.length);
    assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(CairnException.class,
        () -> ManifestCodec.decode(encoded)).code());
  }

  @Test
  void differentManifestsHaveDifferentIds() {
    SignedManifest a = signed(TestManifests.golden());
    SignedManifest b = signed(TestManifests.everyType(key));
    assertNotEquals(a.id(), b.id());
  }

  /** Signs a hand-made body with the key of the manifest it was made from. */
  private byte[] resign(byte[] body) {
    int keyOffset = 10 + ((body[8] & 0xff) << 8 | (body[9] & 0xff));
    SigningKey signer = Arrays.equals(Arrays.copyOfRange(body, keyOffset, keyOffset + 32),
        key.publicKey().toBytes()) ? key : TestManifests.goldenKey();
    byte[] signature = signer.sign(SignatureDomain.MANIFEST, body);
    byte[] encoded = Arrays.copyOf(body, body.length + signature.length);
    System.arraycopy(signature, 0, encoded, body.length, signature.length);
    return encoded;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("pattern not found");
  }

  static void expectRejected(byte[] input, String what) {
    try {
      ManifestCodec.decode(input);
      fail(what + " was accepted");
    } catch (CairnException e) {
      assertTrue(e.code() == ErrorCode.BAD_SIGNATURE || e.code() == ErrorCode.BAD_FORMAT,
          what + ": " + e.getMessage());
      assertTrue(e.getMessage().startsWith(e.code().name() + ": "));
    }
  }

  static ColumnStats stats(long nulls, Object min, Object max) {
    return new ColumnStats(nulls, min, max);
  }
}
