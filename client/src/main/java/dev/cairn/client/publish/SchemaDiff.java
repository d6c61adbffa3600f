package dev.cairn.client.publish;

import dev.cairn.wire.TableSchema;

/** Describes, for people, how two schemas differ. */
final class SchemaDiff {
  private SchemaDiff() {}

  /** Returns null if equal, else the first difference, e.g. "column 2: price DOUBLE vs ...". */
  static String describe(TableSchema expected, TableSchema actual) {
    if (expected.equals(actual)) {
      return null;
    }
    int common = Math.min(expected.size(), actual.size());
    for (int i = 0; i < common; i++) {
      if (!expected.column(i).equals(actual.column(i))) {
        return "column " + (i + 1) + " is " + expected.column(i) + " in the table but "
            + actual.column(i) + " in the input";
      }
    }
    return "the table has " + expected.size() + " columns " + expected + " but the input has "
        + actual.size() + " " + actual;
  }
}
