package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.TypeWidening;
import dev.cairn.wire.crypto.SignatureDomain;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the widening lattice and the rules a format 4 manifest keeps about its batches' stored
 * columns (docs/protocol.md, 4.9): what a manifest refuses, which format it is written in, and
 * that the decoder accepts only the one canonical spelling.
 */
class EvolvedManifestTest {

  @Test
  void theLatticeWidensIntegersAndDecimalPrecisionOnly() {
    assertTrue(TypeWidening.widensTo(ColumnType.INTEGER, ColumnType.BIGINT));
    assertTrue(TypeWidening.widensTo(ColumnType.BIGINT, ColumnType.BIGINT));
    assertFalse(TypeWidening.widensTo(ColumnType.BIGINT, ColumnType.INTEGER));
    assertTrue(TypeWidening.widensTo(ColumnType.decimal(10, 2), ColumnType.decimal(12, 2)));
    assertFalse(TypeWidening.widensTo(ColumnType.decimal(12, 2), ColumnType.decimal(10, 2)));
    assertFalse(TypeWidening.widensTo(ColumnType.decimal(10, 2), ColumnType.decimal(12, 3)));
    assertFalse(TypeWidening.widensTo(ColumnType.INTEGER, ColumnType.VARCHAR));
    assertFalse(TypeWidening.widensTo(ColumnType.INTEGER, ColumnType.DOUBLE));
    assertFalse(TypeWidening.widensTo(ColumnType.DATE, ColumnType.TIMESTAMP));
    assertEquals(ColumnType.BIGINT, TypeWidening.wider(ColumnType.BIGINT, ColumnType.INTEGER));
    assertNull(TypeWidening.wider(ColumnType.VARCHAR, ColumnType.INTEGER));
    for (ColumnType.Kind kind : ColumnType.Kind.values()) {
      if (kind != ColumnType.Kind.DECIMAL) {
        ColumnType type = ColumnType.of(kind, 0, 0);
        assertTrue(TypeWidening.widensTo(type, type), kind + " widens to itself");
        assertFalse(kind != ColumnType.Kind.VARCHAR
            && TypeWidening.widensTo(type, ColumnType.VARCHAR), kind + " to VARCHAR");
      }
    }
  }

  @Test
  void boundsOfANarrowerTypeBecomeBoundsOfTheWiderOne() {
    assertEquals(7L, TypeWidening.widenBound(7, ColumnType.INTEGER, ColumnType.BIGINT));
    BigDecimal price = new BigDecimal("12.50");
    assertEquals(price, TypeWidening.widenBound(price, ColumnType.decimal(4, 2),
        ColumnType.decimal(9, 2)));
    assertThrows(IllegalArgumentException.class,
        () -> TypeWidening.widenBound(7L, ColumnType.BIGINT, ColumnType.INTEGER));
  }

  @Test
  void aBatchMayStoreOnlyColumnsOfTheTableInTypesThatWidenToTheirs() {
    Manifest evolved = TestManifests.goldenEvolved();
    TableSchema stranger = new TableSchema(List.of(
        new Column("o_orderkey", ColumnType.BIGINT, false),
        new Column("o_totalprice", ColumnType.decimal(15, 2), false),
        new Column("gone", ColumnType.VARCHAR, true)), List.of(0, 1, 9));
    assertRefused(evolved, stranger, "does not have");
    TableSchema wider = new TableSchema(List.of(
        new Column("o_orderkey", ColumnType.BIGINT, false),
        new Column("o_totalprice", ColumnType.decimal(18, 2), false)));
    assertRefused(evolved, wider, "does not widen");
    TableSchema lacksNotNull = new TableSchema(List.of(
        new Column("o_orderkey", ColumnType.BIGINT, false)));
    assertRefused(evolved, lacksNotNull, "lacks the NOT NULL");
    TableSchema nullable = new TableSchema(List.of(
        new Column("o_orderkey", ColumnType.BIGINT, true),
        new Column("o_totalprice", ColumnType.decimal(15, 2), false)));
    assertRefused(evolved, nullable, "as nullable");
  }

  private static void assertRefused(Manifest m, TableSchema stored, String because) {
    List<ColumnStats> stats = new ArrayList<>();
    stored.columns().forEach(c -> stats.add(new ColumnStats(0, null, null)));
    List<BatchRef> batches = new ArrayList<>(m.batches());
    batches.add(new BatchRef(TestManifests.idOf("odd batch"), 10, 1, null, stats, List.of(),
        stored));
    CairnException e = assertThrows(CairnException.class, () -> new Manifest(m.tableName(),
        m.writerKey(), m.version(), m.parentId(), m.createdAtMillis(), m.schema(),
        m.redundancy(), batches));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains(because), e.getMessage());
  }

  @Test
  void aVersionIsWrittenInTheOldestFormatThatHoldsIt() {
    Manifest golden = TestManifests.golden();
    List<BatchRef> restated = golden.batches().stream()
        .map(b -> b.withStored(golden.schema())).toList();
    Manifest same = new Manifest(golden.tableName(), golden.writerKey(), golden.version(),
        golden.parentId(), golden.createdAtMillis(), golden.refreshEveryMillis(),
        golden.schema(), golden.redundancy(), restated);
    assertEquals(golden, same, "a stored schema equal to the table's is dropped");
    assertEquals(2, same.formatVersion());
    assertEquals(3, TestManifests.goldenErasure().formatVersion());
    assertEquals(4, TestManifests.goldenEvolved().formatVersion());
  }

  @Test
  void anEvolvedErasureCodedVersionRoundTripsInFormatFour() {
    Manifest e = TestManifests.goldenErasure();
    Manifest evolved = TestManifests.goldenEvolved();
    List<BatchRef> batches = new ArrayList<>();
    for (BatchRef b : evolved.batches()) {
      batches.add(new BatchRef(b.id(), b.byteSize(), b.rowCount(), null, b.stats(),
          e.batches().get(0).shardIds(), b.stored()));
    }
    Manifest m = new Manifest(evolved.tableName(), evolved.writerKey(), evolved.version(),
        evolved.parentId(), evolved.createdAtMillis(), evolved.schema(), e.redundancy(),
        batches);
    SignedManifest signed = ManifestCodec.sign(m, TestManifests.goldenKey());
    assertEquals(4, signed.encoded()[7]);
    assertEquals(m, ManifestCodec.decode(signed.encoded()).manifest());
  }

  @Test
  void columnIdsThatAreNotPositionsNeedFormatFourAlone() {
    TableSchema schema = new TableSchema(List.of(new Column("a", ColumnType.BIGINT, true),
        new Column("b", ColumnType.VARCHAR, true)), List.of(0, 2));
    Manifest m = new Manifest("t", TestManifests.goldenKey().publicKey(), 1, null, 0L, schema,
        RedundancyPolicy.replicas(1), List.of());
    SignedManifest signed = ManifestCodec.sign(m, TestManifests.goldenKey());
    assertEquals(4, signed.encoded()[7]);
    assertEquals(m, ManifestCodec.decode(signed.encoded()).manifest());
  }

  @Test
  void formatFourIsRefusedWhereAnOlderFormatHoldsTheManifest() {
    byte[] body = ManifestCodec.encodeBody(TestManifests.golden(), 4);
    byte[] signature = TestManifests.goldenKey().sign(SignatureDomain.MANIFEST, body);
    byte[] encoded = new byte[body.length + signature.length];
    System.arraycopy(body, 0, encoded, 0, body.length);
    System.arraycopy(signature, 0, encoded, body.length, signature.length);
    CairnException e = assertThrows(CairnException.class, () -> ManifestCodec.decode(encoded));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains("older format"), e.getMessage());
  }
}
