package dev.cairn.spark;

import dev.cairn.wire.UuidText;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Shows a UUID column (Arrow FixedSizeBinary(16)) to Spark as a STRING of its canonical
 * lower-case text: Spark has no UUID type, and StringType is what its own readers use for
 * one. The text is made per value read.
 */
final class UuidTextColumnVector extends ArrowViewColumnVector {
  private final FixedSizeBinaryVector uuids;

  /** Wraps {@code uuids} as a Spark STRING column of their text. */
  UuidTextColumnVector(FixedSizeBinaryVector uuids) {
    super(DataTypes.StringType, uuids, "a UUID column is read with getUTF8String");
    this.uuids = uuids;
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    return uuids.isNull(rowId) ? null : UTF8String.fromString(UuidText.format(uuids.get(rowId)));
  }
}
