package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UUID bounds in a manifest: 16 bytes each, canonical lower-case text in Java. */
class UuidManifestTest {
  private static final TableSchema SCHEMA = new TableSchema(List.of(
      new Column("id", ColumnType.UUID, true)));

  private static Manifest withStats(ColumnStats stats) {
    return new Manifest("u", TestManifests.goldenKey().publicKey(), 1, null, 0L, SCHEMA,
        RedundancyPolicy.replicas(1), List.of(new BatchRef(TestManifests.idOf("b"), 10, 2,
            null, List.of(stats))));
  }

  @Test
  void boundsRoundTripAsSixteenBytes() {
    Manifest m = withStats(new ColumnStats(0, "00000000-0000-0000-0000-000000000001",
        "ffffffff-ffff-ffff-ffff-ffffffffffff"));
    SignedManifest signed = ManifestCodec.sign(m, TestManifests.goldenKey());
    assertEquals(m, ManifestCodec.decode(signed.encoded()).manifest());
    Manifest none = withStats(new ColumnStats(2, null, null));
    // Two bounds of 16 bytes each, beside presence bytes: 32 bytes more than none.
    assertEquals(32, ManifestCodec.encodeBody(m).length - ManifestCodec.encodeBody(none).length);
  }

  @Test
  void aBoundThatIsNotCanonicalOrOutOfOrderIsRefused() {
    for (ColumnStats bad : List.of(
        new ColumnStats(0, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", null),
        new ColumnStats(0, "a0eebc999c0b4ef8bb6d6bb9bd380a11", null),
        new ColumnStats(0, "80000000-0000-0000-0000-000000000000",
            "7fffffff-ffff-ffff-ffff-ffffffffffff"))) {
      CairnException e = assertThrows(CairnException.class, () -> withStats(bad));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    }
  }
}
