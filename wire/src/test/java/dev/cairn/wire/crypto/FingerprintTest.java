package dev.cairn.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  @Test
  void base32MatchesRfc4648Vectors() {
    // RFC 4648 section 10, lowercased, padding dropped.
    byte[] foobar = "foobar".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals("mzxw6ytb", Fingerprint.encode(foobar, 5));
    assertEquals("mzxw6ytboi", Fingerprint.encode(foobar, 6));
    assertEquals("my", Fingerprint.encode(foobar, 1));
  }

  @Test
  void fingerprintIsBase32OfTheFirstTenHashBytes() {
    PublicKey key = SigningKey.generate(new SecureRandom()).publicKey();
    String text = key.fingerprint().toString();
    assertEquals(Fingerprint.CHARS, text.length());
    assertTrue(text.matches("[a-z2-7]{16}"), text);
    byte[] hash = dev.cairn.wire.ContentId.sha256(key.toBytes()).toBytes();
    assertEquals(Fingerprint.encode(hash, Fingerprint.BYTES), text);
    assertEquals(key.fingerprint(), Fingerprint.parse(text));
  }

  @Test
  void fixedSeedHasTheDocumentedFingerprint() {
    byte[] seed = new byte[32];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) (i + 1);
    }
    PublicKey key = SigningKey.fromSeed(seed).publicKey();
    assertEquals(key.toHex(), HexFormat.of().formatHex(key.toBytes()));
    assertEquals(key.fingerprint().toString(),
        Fingerprint.encode(dev.cairn.wire.ContentId.sha256(key.toBytes()).toBytes(), 10));
  }

  @Test
  void parseRejectsEverythingButTheCanonicalForm() {
    String good = "abcdefghijklmn23";
    assertEquals(good, Fingerprint.parse(good).toString());
    for (String bad : new String[] {"", "abcdefghijklmn2", "abcdefghijklmn234",
        "ABCDEFGHIJKLMN23", "abcdefghijklmn01", "abcdefghijklmn2=", " abcdefghijklmn2",
        "abcdefghijklmn2\n", "abcdefghijklmn8a"}) {
      CairnException e = assertThrows(CairnException.class, () -> Fingerprint.parse(bad), bad);
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
      assertTrue(e.getMessage().startsWith("BAD_FORMAT: "));
    }
  }
}
