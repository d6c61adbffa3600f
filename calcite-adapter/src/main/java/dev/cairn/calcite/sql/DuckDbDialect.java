package dev.cairn.calcite.sql;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * DuckDB's SQL dialect as the translator writes it: PostgreSQL's, with DuckDB's null order and
 * type names.
 *
 * <p>Null order: Cairn's documented semantics are Calcite's and PostgreSQL's (NULLS LAST for
 * ASC, NULLS FIRST for DESC). DuckDB sorts NULLS LAST in both directions by default, so this
 * dialect declares {@link NullCollation#LAST}; the SQL writer then spells out NULLS FIRST
 * wherever the wanted order differs from DuckDB's default (every DESC key whose nulls come
 * first, and any explicit ASC NULLS FIRST). The runtime must therefore leave DuckDB's
 * {@code default_null_order} setting at its default ({@code nulls_last}).
 *
 * <p>Types: casts are written as BIGINT, INTEGER, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP,
 * VARCHAR and BOOLEAN. Single-unit interval literals are written {@code INTERVAL '90' DAY}
 * without Calcite's leading precision ({@code DAY(3)}), which DuckDB does not parse.
 */
public final class DuckDbDialect extends PostgresqlSqlDialect {
  /** The dialect's settings. */
  public static final SqlDialect.Context CONTEXT = PostgresqlSqlDialect.DEFAULT_CONTEXT
      .withDatabaseProduct(SqlDialect.DatabaseProduct.POSTGRESQL)
      .withIdentifierQuoteString("\"")
      .withNullCollation(NullCollation.LAST);

  /** The one instance; it holds no state. */
  public static final DuckDbDialect INSTANCE = new DuckDbDialect();

  private DuckDbDialect() {
    super(CONTEXT);
  }

  @Override
  public SqlNode getCastSpec(RelDataType type) {
    String name;
    switch (type.getSqlTypeName()) {
      case DOUBLE: case FLOAT: name = "DOUBLE"; break;
      case REAL: name = "FLOAT"; break;
      case TINYINT: name = "TINYINT"; break;
      case SMALLINT: name = "SMALLINT"; break;
      case VARCHAR: case CHAR: name = "VARCHAR"; break;
      case TIMESTAMP: name = "TIMESTAMP"; break;
      default: return super.getCastSpec(type);
    }
    return new SqlDataTypeSpec(
        new SqlAlienSystemTypeNameSpec(name, type.getSqlTypeName(), SqlParserPos.ZERO),
        SqlParserPos.ZERO);
  }

  /**
   * Writes every string literal as a plain {@code '...'}: DuckDB's strings are UTF-8 and take a
   * backslash as itself. Calcite would write an escape string's value ({@code E'a\'b'}) with its
   * charset, {@code _UTF-16LE'a''b'}, which DuckDB cannot parse.
   */
  @Override
  public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
    buf.append('\'').append(val.replace("'", "''")).append('\'');
  }

  @Override
  public void unparseSqlIntervalLiteral(SqlWriter writer, SqlIntervalLiteral literal,
      int leftPrec, int rightPrec) {
    SqlIntervalLiteral.IntervalValue value = literal.getValueAs(
        SqlIntervalLiteral.IntervalValue.class);
    SqlIntervalQualifier qualifier = value.getIntervalQualifier();
    TimeUnit start = qualifier.getStartUnit();
    if (qualifier.isSingleDatetimeField() && start != TimeUnit.SECOND) {
      writer.keyword("INTERVAL");
      String text = (value.getSign() < 0 ? "-" : "") + value.getIntervalLiteral();
      writer.literal("'" + text.replace("'", "''") + "'");
      writer.keyword(start.name());
      return;
    }
    super.unparseSqlIntervalLiteral(writer, literal, leftPrec, rightPrec);
  }
}
