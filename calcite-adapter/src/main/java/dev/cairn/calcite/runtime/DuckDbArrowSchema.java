package dev.cairn.calcite.runtime;

import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow schema a batch is handed to DuckDB with: the blob's own, except that a UUID
 * column's FixedSizeBinary(16) names Arrow's {@code arrow.uuid} extension, which DuckDB reads
 * as its UUID type (bare, it would be a BLOB). The blob itself carries no metadata.
 */
final class DuckDbArrowSchema {
  private static final Map<String, String> UUID_METADATA = Map.of(
      TableSchema.ARROW_EXTENSION_NAME, TableSchema.ARROW_UUID_EXTENSION,
      "ARROW:extension:metadata", "");

  private DuckDbArrowSchema() {}

  /** Returns {@code schema}'s Arrow schema with UUID fields marked for DuckDB. */
  static Schema of(TableSchema schema) {
    Schema arrow = schema.toArrow();
    List<Field> fields = new ArrayList<>(arrow.getFields().size());
    for (int i = 0; i < schema.size(); i++) {
      Field field = arrow.getFields().get(i);
      if (schema.column(i).type().kind() == ColumnType.Kind.UUID) {
        field = new Field(field.getName(), new FieldType(field.isNullable(), field.getType(),
            null, UUID_METADATA), null);
      }
      fields.add(field);
    }
    return new Schema(fields);
  }
}
