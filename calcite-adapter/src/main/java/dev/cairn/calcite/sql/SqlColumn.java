package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

/**
 * The name and SQL type of a result column or of a dynamic parameter, as Calcite derived it.
 *
 * @param name the column name (for parameters {@code ?1}, {@code ?2}, ...)
 * @param jdbcType the {@link java.sql.Types} code
 * @param typeName the SQL spelling, e.g. {@code DECIMAL(15, 2)} or {@code VARCHAR}
 * @param precision precision (DECIMAL digits, VARCHAR length) or -1 if not specified
 * @param scale DECIMAL scale, or -2147483648 (Calcite's "unspecified") for other types
 * @param nullable whether values may be NULL
 */
public record SqlColumn(String name, int jdbcType, String typeName, int precision, int scale,
    boolean nullable) {
  public SqlColumn {
    requireNonNull(name, "name");
    requireNonNull(typeName, "typeName");
  }
}
