package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.client.input.SchemaSpec;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The next version's schema from the head's and the input's: additions and widenings kept with
 * stable ids, narrower input read as the table's type, everything else SCHEMA_CHANGE naming the
 * column and both types.
 */
class SchemaEvolutionTest {
  private static final String TABLE = "acme.sales version 2";
  private static final TableSchema HEAD =
      SchemaSpec.parse("id INTEGER NOT NULL, price DECIMAL(10,2), name VARCHAR");

  private static TableSchema next(String input) {
    return SchemaEvolution.next(HEAD, SchemaSpec.parse(input), TABLE);
  }

  @Test
  void addedColumnsGetNewIdsAndAreNullable() {
    TableSchema next = next("id INTEGER NOT NULL, price DECIMAL(10,2), name VARCHAR,"
        + " qty BIGINT NOT NULL");
    assertEquals(SchemaSpec.parse("id INTEGER NOT NULL, price DECIMAL(10,2), name VARCHAR,"
        + " qty BIGINT").columns(), next.columns());
    assertEquals(List.of(0, 1, 2, 3), next.columnIds());
    TableSchema later = SchemaEvolution.next(new TableSchema(next.columns(), List.of(0, 1, 2, 7)),
        SchemaSpec.parse("id INTEGER NOT NULL, price DECIMAL(10,2), name VARCHAR, qty BIGINT,"
            + " note VARCHAR"), TABLE);
    assertEquals(List.of(0, 1, 2, 7, 8), later.columnIds(), "above every id used");
  }

  @Test
  void typesWidenAndANarrowerInputKeepsTheTablesType() {
    assertEquals(SchemaSpec.parse("id BIGINT NOT NULL, price DECIMAL(18,2), name VARCHAR"),
        next("id BIGINT NOT NULL, price DECIMAL(18,2), name VARCHAR"));
    assertEquals(HEAD, next("id INTEGER NOT NULL, price DECIMAL(4,2), name VARCHAR"));
    assertEquals(SchemaSpec.parse("id INTEGER, price DECIMAL(10,2), name VARCHAR"),
        next("id INTEGER, price DECIMAL(10,2), name VARCHAR"), "NOT NULL may be relaxed");
  }

  @Test
  void everyOtherChangeIsRefusedNamingTheColumn() {
    assertRefused("id INTEGER NOT NULL, price VARCHAR, name VARCHAR", "column price is"
        + " DECIMAL(10,2) in acme.sales version 2 but VARCHAR in the input; a type may only"
        + " widen (TINYINT to SMALLINT to INTEGER to BIGINT, "
        + "REAL to DOUBLE, DECIMAL(p,s) to DECIMAL(p',s) with p' >= p)");
    assertRefused("id INTEGER NOT NULL, price DECIMAL(10,3), name VARCHAR", "column price is"
        + " DECIMAL(10,2) in acme.sales version 2 but DECIMAL(10,3) in the input; a type may"
        + " only widen (TINYINT to SMALLINT to INTEGER to BIGINT, "
        + "REAL to DOUBLE, DECIMAL(p,s) to DECIMAL(p',s) with p' >= p)");
    assertRefused("id INTEGER NOT NULL, price DECIMAL(10,2)", "column name (VARCHAR) of"
        + " acme.sales version 2 is not in the input; columns cannot be dropped");
    assertRefused("id INTEGER NOT NULL, cost DECIMAL(10,2), name VARCHAR", "column price"
        + " (DECIMAL(10,2)) of acme.sales version 2 is not in the input, which has cost"
        + " DECIMAL(10,2) in its place; columns cannot be dropped or renamed");
    assertRefused("id INTEGER NOT NULL, name VARCHAR, price DECIMAL(10,2)", "column price"
        + " (DECIMAL(10,2)) is column 2 in acme.sales version 2 but column 3 in the input;"
        + " columns cannot be reordered");
  }

  private static void assertRefused(String input, String message) {
    CairnException e = assertThrows(CairnException.class, () -> next(input));
    assertEquals(ErrorCode.SCHEMA_CHANGE, e.code());
    assertEquals("SCHEMA_CHANGE: " + message, e.getMessage());
  }

  @Test
  void csvWithoutASchemaIsReadWithTheTablesTypesAndInfersOnlyNewOnesOrWider() {
    TableSchema inferred = SchemaSpec.parse("ID BIGINT, price DECIMAL(3,2), name VARCHAR,"
        + " note VARCHAR");
    assertEquals(SchemaSpec.parse("id BIGINT NOT NULL, price DECIMAL(10,2), name VARCHAR,"
        + " note VARCHAR"), SchemaEvolution.readingSchema(HEAD, inferred));
  }
}
