package dev.cairn.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.TableHead;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A head offered again byte for byte is re-used; anything else is verified as if new. */
class VerifiedHeadMemoTest {
  private static final TableSchema SCHEMA = new TableSchema(List.of(
      new Column("n", ColumnType.BIGINT, false)));
  private final SigningKey writer = SigningKey.generate(new SecureRandom());

  private TableHead head(SigningKey key, String table, long version) {
    byte[] manifest = ManifestCodec.sign(new Manifest(table, key.publicKey(), version, null,
        1000, SCHEMA, RedundancyPolicy.replicas(1), List.of()), key).encoded();
    return new TableHead("acme", key.sign(SignatureDomain.CLAIM_NAME,
        ClaimName.signedMessage("acme")), manifest);
  }

  @Test
  void anIdenticalHeadIsReUsedAndAnyChangeIsVerifiedAgain() {
    VerifiedHeadMemo memo = new VerifiedHeadMemo();
    TableHead t = head(writer, "t", 1);
    VerifiedHead first = memo.verify(t, "acme", "t");
    assertSame(first, memo.verify(new TableHead("acme", t.claimSignature().clone(),
        t.manifest().clone()), "acme", "t"));
    assertEquals(2, memo.verify(head(writer, "t", 2), "acme", "t").version());

    // The same bytes asked for as another table: the question is checked on every call.
    CairnException other = assertThrows(CairnException.class, () -> memo.verify(t, "acme", "u"));
    assertEquals(ErrorCode.BAD_FORMAT, other.code());

    // A forged claim with the same manifest bytes is not the head verified before.
    SigningKey forger = SigningKey.generate(new SecureRandom());
    TableHead forged = new TableHead("acme", forger.sign(SignatureDomain.CLAIM_NAME,
        ClaimName.signedMessage("acme")), t.manifest());
    assertThrows(CairnException.class, () -> memo.verify(forged, "acme", "t"));

    // A manifest with one byte flipped does not verify.
    byte[] flipped = t.manifest().clone();
    flipped[flipped.length - 1] ^= 1;
    assertThrows(CairnException.class, () -> memo.verify(new TableHead("acme",
        t.claimSignature(), flipped), "acme", "t"));
  }
}
