package dev.cairn.calcite.sql;

import dev.cairn.wire.ErrorCode;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Puts {@link DuckDbOperators} in place of the parser's standard operators, in a parsed query
 * before validation.
 *
 * <p>DuckDB's integer division {@code //} is a comment in Calcite's parser (its
 * {@code SINGLE_LINE_COMMENT} token starts with {@code //} as well as {@code --}), so
 * {@code SELECT 10 // 4, 99} parsed as {@code SELECT 10}. {@link #maskIntegerDivisions} turns
 * each {@code //} outside literals, quoted names and comments into {@code " /"} (same length,
 * so every position in the text stays) and remembers where it was; the {@code /} call whose
 * slash stands there becomes {@link DuckDbOperators#INTEGER_DIVIDE}.
 *
 * <p>{@code CHAR(n)} and {@code VARCHAR(n)} in casts become {@code VARCHAR}: DuckDB ignores the
 * length and never pads, while Calcite would pad {@code CAST('ab' AS CHAR(5))} to
 * {@code 'ab   '} and cut {@code CAST('ab' AS VARCHAR(1))} to {@code 'a'}. {@code DECIMAL}
 * without precision becomes DuckDB's {@code DECIMAL(18,3)}: Calcite's {@code DECIMAL(19,0)}
 * turned {@code CAST(4.25 AS DECIMAL)} into 4. {@code FLOAT} is DuckDB's 4-byte float (REAL),
 * which Calcite takes for a DOUBLE.
 *
 * <p>Calcite's {@code (a - b) DAY} (a datetime difference in one unit) is refused: DuckDB has no
 * such syntax and computes {@code a - b} whole, so the unit would be silently dropped
 * ({@code (d1 - d2) MONTH} would give days). So is an interval literal finer than a millisecond
 * ({@code INTERVAL '0.000001' SECOND}): Calcite keeps intervals in milliseconds and would
 * silently write {@code INTERVAL '0' SECOND}. {@code WITH RECURSIVE} is refused too.
 */
final class DuckDbOperatorRewriter extends SqlShuttle {
  private final NavigableSet<Long> integerDivisions;

  private DuckDbOperatorRewriter(NavigableSet<Long> integerDivisions) {
    this.integerDivisions = integerDivisions;
  }

  /**
   * A SQL text with its {@code //} operators masked, and their positions, each
   * {@link #position(int, int)} of the slash that remains.
   */
  record Masked(String sql, NavigableSet<Long> integerDivisions) {}

  /** A (line, column) position as one sortable number. */
  static long position(int line, int column) {
    return ((long) line << 32) | column;
  }

  /**
   * Replaces every {@code //} operator in {@code sql} by {@code " /"} and returns the 1-based
   * line and column of the remaining slash, counted as Calcite's parser counts (tab = 1).
   */
  static Masked maskIntegerDivisions(String sql) {
    StringBuilder out = new StringBuilder(sql);
    NavigableSet<Long> positions = new TreeSet<>();
    int line = 1;
    int lineStart = 0; // offset of the current line's first char
    int i = 0;
    while (i < sql.length()) {
      int next = SqlTextScanner.skipLiteralOrComment(sql, i);
      if (next == i && sql.startsWith("//", i)) {
        out.setCharAt(i, ' ');
        positions.add(position(line, i + 1 - lineStart + 1));
        next = i + 2;
      } else if (next == i) {
        next = i + 1;
      }
      for (int j = i; j < next; j++) { // line breaks as JavaCC counts them: \n, \r, \r\n
        char c = sql.charAt(j);
        if (c == '\n' || (c == '\r' && (j + 1 >= sql.length() || sql.charAt(j + 1) != '\n'))) {
          line++;
          lineStart = j + 1;
        }
      }
      i = next;
    }
    return new Masked(out.toString(), positions);
  }

  /** Returns {@code query} with DuckDB's operators in place of the standard ones. */
  static SqlNode rewrite(SqlNode query, NavigableSet<Long> integerDivisions) {
    return query.accept(new DuckDbOperatorRewriter(integerDivisions));
  }

  @Override
  public SqlNode visit(SqlLiteral literal) {
    if (literal instanceof SqlIntervalLiteral) {
      String text = literal.getValueAs(SqlIntervalLiteral.IntervalValue.class)
          .getIntervalLiteral();
      Matcher fraction = SUB_MILLISECOND.matcher(text);
      if (fraction.find()) {
        throw new SqlTranslationException(ErrorCode.UNSUPPORTED_SQL,
            SqlTranslationException.FEATURE_NOT_SUPPORTED, "interval '" + text
                + "' is finer than a millisecond, which Cairn cannot represent exactly", null);
      }
    }
    return literal;
  }

  /** A fraction of a second with a non-zero digit after the third. */
  private static final Pattern SUB_MILLISECOND = Pattern.compile("\\.\\d{3}0*[1-9]");

  @Override
  public SqlNode visit(SqlDataTypeSpec type) {
    if (!(type.getTypeNameSpec() instanceof SqlBasicTypeNameSpec)) {
      return type;
    }
    SqlBasicTypeNameSpec spec = (SqlBasicTypeNameSpec) type.getTypeNameSpec();
    SqlTypeName name = SqlTypeName.get(type.getTypeName().getSimple());
    SqlParserPos pos = type.getParserPosition();
    if (name == SqlTypeName.CHAR || name == SqlTypeName.VARCHAR) {
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, pos),
          type.getTimeZone(), type.getNullable(), pos);
    }
    if (name == SqlTypeName.FLOAT && spec.getPrecision() < 0) {
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.REAL, pos),
          type.getTimeZone(), type.getNullable(), pos);
    }
    if (name == SqlTypeName.DECIMAL && spec.getPrecision() < 0) {
      return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DECIMAL,
          DECIMAL_PRECISION_DEFAULT, DECIMAL_SCALE_DEFAULT, pos), type.getTimeZone(),
          type.getNullable(), pos);
    }
    return type;
  }

  /** DuckDB's DECIMAL without precision is DECIMAL(18,3); Calcite's is DECIMAL(19,0). */
  private static final int DECIMAL_PRECISION_DEFAULT = 18;
  private static final int DECIMAL_SCALE_DEFAULT = 3;

  @Override
  public SqlNode visit(SqlCall call) {
    if (call instanceof SqlWithItem && ((SqlWithItem) call).recursive.booleanValue()) {
      // Calcite plans it as a RepeatUnion over a spool, which has no SQL to write.
      throw new SqlTranslationException(ErrorCode.UNSUPPORTED_SQL,
          SqlTranslationException.FEATURE_NOT_SUPPORTED, "WITH RECURSIVE is not supported",
          null);
    }
    SqlNode visited = super.visit(call);
    if (!(visited instanceof SqlBasicCall)) {
      return visited;
    }
    SqlBasicCall basic = (SqlBasicCall) visited;
    SqlOperator operator = basic.getOperator();
    if (operator == SqlStdOperatorTable.MINUS_DATE) {
      throw new SqlTranslationException(ErrorCode.UNSUPPORTED_SQL,
          SqlTranslationException.FEATURE_NOT_SUPPORTED, "(a - b) "
              + basic.operand(2) + " is not supported: write a - b (days between two dates,"
              + " an interval between two timestamps) or date_sub('unit', b, a)", null);
    }
    if (operator == SqlStdOperatorTable.PLUS) {
      basic.setOperator(DuckDbOperators.PLUS);
    } else if (operator == SqlStdOperatorTable.MINUS) {
      basic.setOperator(DuckDbOperators.MINUS);
    } else if (operator.getKind() == SqlKind.DIVIDE && isIntegerDivision(basic)) {
      basic.setOperator(DuckDbOperators.INTEGER_DIVIDE);
    }
    return basic;
  }

  /** Whether a remembered {@code //} lies between the call's two operands. */
  private boolean isIntegerDivision(SqlBasicCall division) {
    SqlParserPos left = division.operand(0).getParserPosition();
    SqlParserPos right = division.operand(1).getParserPosition();
    Long slash = integerDivisions.higher(position(left.getEndLineNum(), left.getEndColumnNum()));
    return slash != null && slash < position(right.getLineNum(), right.getColumnNum());
  }
}
