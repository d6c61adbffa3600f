package dev.cairn.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SigningKeyTest {
  private static final byte[] MESSAGE = "publish table lineitem".getBytes(StandardCharsets.UTF_8);

  private final SigningKey key = SigningKey.generate(new SecureRandom());

  @Test
  void signatureVerifiesUnderTheSameKeyAndDomain() {
    byte[] signature = key.sign(SignatureDomain.MANIFEST, MESSAGE);
    assertEquals(PublicKey.SIGNATURE_BYTES, signature.length);
    assertTrue(key.publicKey().verify(SignatureDomain.MANIFEST, MESSAGE, signature));
    key.publicKey().checkSignature(SignatureDomain.MANIFEST, MESSAGE, signature);
  }

  @Test
  void signingIsDeterministic() {
    assertArrayEquals(key.sign(SignatureDomain.HEARTBEAT, MESSAGE),
        key.sign(SignatureDomain.HEARTBEAT, MESSAGE));
  }

  @Test
  void signatureForOneDomainFailsInEveryOther() {
    byte[] signature = key.sign(SignatureDomain.MANIFEST, MESSAGE);
    for (SignatureDomain other : SignatureDomain.values()) {
      if (other != SignatureDomain.MANIFEST) {
        assertFalse(key.publicKey().verify(other, MESSAGE, signature), other.name());
      }
    }
  }

  @Test
  void signatureFailsUnderAnotherKey() {
    byte[] signature = key.sign(SignatureDomain.PUT_BLOB, MESSAGE);
    PublicKey other = SigningKey.generate(new SecureRandom()).publicKey();
    assertFalse(other.verify(SignatureDomain.PUT_BLOB, MESSAGE, signature));
    CairnException e = assertThrows(CairnException.class,
        () -> other.checkSignature(SignatureDomain.PUT_BLOB, MESSAGE, signature));
    assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
    assertTrue(e.getMessage().startsWith("BAD_SIGNATURE: "), e.getMessage());
  }

  @Test
  void everyFlippedMessageByteFails() {
    byte[] signature = key.sign(SignatureDomain.CLAIM_NAME, MESSAGE);
    for (int i = 0; i < MESSAGE.length; i++) {
      byte[] tampered = MESSAGE.clone();
      tampered[i] ^= 0x01;
      assertFalse(key.publicKey().verify(SignatureDomain.CLAIM_NAME, tampered, signature));
    }
  }

  @Test
  void everyFlippedSignatureByteFails() {
    byte[] signature = key.sign(SignatureDomain.NODE_HELLO, MESSAGE);
    for (int i = 0; i < signature.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xff}) {
        byte[] tampered = signature.clone();
        tampered[i] ^= (byte) mask;
        assertFalse(key.publicKey().verify(SignatureDomain.NODE_HELLO, MESSAGE, tampered),
            "byte " + i + " mask " + mask);
      }
    }
  }

  @Test
  void malleatedScalarIsRejected() {
    // S + L encodes the same scalar mod L; strict verifiers refuse S >= L (RFC 8032 5.1.7).
    byte[] signature = key.sign(SignatureDomain.MANIFEST, MESSAGE);
    java.math.BigInteger order = java.math.BigInteger.ONE.shiftLeft(252)
        .add(new java.math.BigInteger("27742317777372353535851937790883648493"));
    byte[] scalar = new byte[32];
    for (int i = 0; i < 32; i++) {
      scalar[31 - i] = signature[32 + i];
    }
    byte[] bigEndian = new java.math.BigInteger(1, scalar).add(order).toByteArray();
    byte[] malleated = signature.clone();
    for (int i = 0; i < 32; i++) {
      int from = bigEndian.length - 1 - i;
      malleated[32 + i] = from >= 0 ? bigEndian[from] : 0;
    }
    assertFalse(java.util.Arrays.equals(signature, malleated));
    assertFalse(key.publicKey().verify(SignatureDomain.MANIFEST, MESSAGE, malleated));
  }

  @Test
  void signatureOfWrongLengthFails() {
    byte[] signature = key.sign(SignatureDomain.MANIFEST, MESSAGE);
    byte[] shorter = java.util.Arrays.copyOf(signature, 63);
    assertFalse(key.publicKey().verify(SignatureDomain.MANIFEST, MESSAGE, shorter));
  }

  @Test
  void signedBytesAreTheDocumentedLayout() {
    byte[] signed = SignatureDomain.MANIFEST.signedBytes(new byte[] {0x41});
    assertEquals("cairn/manifest/v1\0A", new String(signed, StandardCharsets.US_ASCII));
  }

  @Test
  void domainTagsAreDistinctAndFreeOfNul() {
    Set<String> tags = new HashSet<>();
    for (SignatureDomain domain : SignatureDomain.values()) {
      assertTrue(tags.add(domain.tag()));
      assertFalse(domain.tag().contains("\0"));
    }
  }

  @Test
  void rfc8032TestVectorOneGivesItsPublicKey() {
    // RFC 8032 section 7.1, TEST 1: checks that our seed handling is the standard one.
    HexFormat hex = HexFormat.of();
    SigningKey rfc = SigningKey.fromSeed(hex.parseHex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        rfc.publicKey().toHex());
  }

  @Test
  void seedRoundTripsAndToStringHidesIt() {
    SigningKey again = SigningKey.fromSeed(key.seed());
    assertEquals(key.publicKey(), again.publicKey());
    assertFalse(key.toString().contains(HexFormat.of().formatHex(key.seed())));
  }

  @Test
  void publicKeyParsingIsStrict() {
    PublicKey publicKey = key.publicKey();
    assertEquals(publicKey, PublicKey.parse(publicKey.toHex()));
    assertEquals(publicKey.hashCode(), PublicKey.fromBytes(publicKey.toBytes()).hashCode());
    for (String bad : new String[] {"", publicKey.toHex().toUpperCase(java.util.Locale.ROOT),
        publicKey.toHex().substring(2), publicKey.toHex() + "00"}) {
      CairnException e = assertThrows(CairnException.class, () -> PublicKey.parse(bad));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    }
    assertNotEquals(publicKey, SigningKey.generate(new SecureRandom()).publicKey());
  }

  @Test
  void wrongSeedLengthIsBadFormat() {
    CairnException e = assertThrows(CairnException.class, () -> SigningKey.fromSeed(new byte[31]));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }
}
