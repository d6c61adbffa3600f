package dev.cairn.client.input;

import dev.cairn.wire.TableSchema;

/**
 * How to read a CSV file.
 *
 * @param delimiter the field separator, ',' by default
 * @param schema an explicit schema (see {@link SchemaSpec}), or null to infer one
 * @param sampleRows how many rows to infer types from
 */
public record CsvOptions(char delimiter, TableSchema schema, int sampleRows) {
  /** Rows the types are inferred from unless told otherwise. */
  public static final int SAMPLE_ROWS_DEFAULT = 10_000;

  public CsvOptions {
    if (sampleRows < 1) {
      throw new IllegalArgumentException("sampleRows must be at least 1");
    }
  }

  /** Returns comma-separated, inferred types. */
  public static CsvOptions defaults() {
    return new CsvOptions(',', null, SAMPLE_ROWS_DEFAULT);
  }

  public CsvOptions withDelimiter(char newDelimiter) {
    return new CsvOptions(newDelimiter, schema, sampleRows);
  }

  public CsvOptions withSchema(TableSchema newSchema) {
    return new CsvOptions(delimiter, newSchema, sampleRows);
  }

  /** Returns these options with a schema written as {@code "col TYPE, ..."}. */
  public CsvOptions withSchema(String spec) {
    return withSchema(SchemaSpec.parse(spec));
  }
}
