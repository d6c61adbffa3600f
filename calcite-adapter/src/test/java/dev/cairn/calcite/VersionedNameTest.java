package dev.cairn.calcite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Spelling and reading {@code <table>$v<version>}. */
class VersionedNameTest {
  @Test
  void aVersionedTableNameReadsBackAsWhatItSpells() {
    VersionedName name = new VersionedName("shop", "orders$v2", 3);
    assertEquals("orders$v2$v3", name.versionedTable());
    assertEquals(Optional.of(name), VersionedName.parse("shop", name.versionedTable()));
    assertEquals("shop.orders$v2$v3", name.toString());
  }

  @Test
  void namesWithoutADigitSuffixOrWithTooManyDigitsAreNotVersions() {
    assertTrue(VersionedName.parse("shop", "orders").isEmpty());
    assertTrue(VersionedName.parse("shop", "orders$v").isEmpty());
    assertTrue(VersionedName.parse("shop", "$v3").isEmpty());
    assertTrue(VersionedName.parse("shop", "orders$V3").isEmpty());
    assertTrue(VersionedName.parse("shop", "orders$v1234567890123456789").isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new VersionedName("shop", "t", -1));
  }
}
