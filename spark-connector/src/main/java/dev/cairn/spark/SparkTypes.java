package dev.cairn.spark;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Cairn column types as Spark sees them: each is the Spark type whose Arrow form (Spark's
 * ArrowUtils) is exactly the vector Cairn's batches hold, so {@code ArrowColumnVector} reads
 * the decoded vectors as they are. TIMESTAMP is microseconds without a zone: TIMESTAMP_NTZ.
 */
final class SparkTypes {
  private SparkTypes() {}

  /** Returns {@code schema} as a Spark struct, nullability kept. */
  static StructType of(TableSchema schema) {
    List<StructField> fields = new ArrayList<>();
    for (Column column : schema.columns()) {
      fields.add(DataTypes.createStructField(column.name(), of(column.type()),
          column.nullable()));
    }
    return DataTypes.createStructType(fields);
  }

  /** Returns the Spark type of one Cairn column type. */
  static DataType of(ColumnType type) {
    return switch (type.kind()) {
      case BIGINT -> DataTypes.LongType;
      case INTEGER -> DataTypes.IntegerType;
      case DOUBLE -> DataTypes.DoubleType;
      case DECIMAL -> DataTypes.createDecimalType(type.precision(), type.scale());
      case DATE -> DataTypes.DateType;
      case TIMESTAMP -> DataTypes.TimestampNTZType;
      case VARCHAR -> DataTypes.StringType;
      case BOOLEAN -> DataTypes.BooleanType;
      // Spark's TimestampType is an instant shown in the session zone: TIMESTAMPTZ exactly.
      case TIMESTAMPTZ -> DataTypes.TimestampType;
      case SMALLINT -> DataTypes.ShortType;
      case TINYINT -> DataTypes.ByteType;
      case REAL -> DataTypes.FloatType;
      // Spark 4.2 refuses its TIME type unless enabled, so a time of day is its microseconds.
      case TIME -> DataTypes.LongType;
      case VARBINARY -> DataTypes.BinaryType;
      // Spark has no UUID type; its own readers show one as a string (UuidTextColumnVector).
      case UUID -> DataTypes.StringType;
    };
  }
}
