package dev.cairn.calcite.sql;

import dev.cairn.wire.UuidText;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;

/**
 * Evaluates the constant side of a pruning comparison without code generation: literals,
 * exact numeric + - *, DATE/TIMESTAMP plus or minus an INTERVAL literal, and casts of literals
 * to numbers, dates and UUIDs. Calcite's own constant reduction compiles Java per expression, which
 * cost tens of milliseconds per query; this covers what users write in range predicates
 * ({@code date '1998-12-01' - interval '90' day}, {@code 0.06 + 0.01}). Anything else gives
 * null, and the comparison is simply not used for pruning.
 *
 * <p>Values come back in Calcite's literal forms: BigDecimal, DateString, TimestampString,
 * NlsString, Boolean or (a UUID) java.util.UUID.
 */
final class ConstantFolder {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private ConstantFolder() {}

  static Object value(RexNode node) {
    if (node instanceof RexLiteral) {
      RexLiteral literal = (RexLiteral) node;
      switch (literal.getTypeName()) {
        case DATE: return literal.getValueAs(DateString.class);
        case TIMESTAMP: return literal.getValueAs(TimestampString.class);
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE: return literal.getValueAs(TimestampString.class);
        case TIME: return literal.getValueAs(TimeString.class);
        default: return literal.getValue();
      }
    }
    if (!(node instanceof RexCall)) {
      return null;
    }
    RexCall call = (RexCall) node;
    List<RexNode> operands = call.getOperands();
    switch (call.getKind()) {
      case CAST:
        return cast(value(operands.get(0)), call.getType());
      case PLUS: case MINUS: case TIMES:
        return arithmetic(call, value(operands.get(0)), value(operands.get(1)));
      default:
        return null;
    }
  }

  private static Object cast(Object value, RelDataType type) {
    SqlTypeName target = type.getSqlTypeName();
    try {
      if (SqlTypeFamily.NUMERIC.getTypeNames().contains(target)) {
        return number(value, type);
      }
      if (target == SqlTypeName.DATE && value instanceof NlsString) {
        return DateString.fromDaysSinceEpoch(
            (int) LocalDate.parse(((NlsString) value).getValue().trim()).toEpochDay());
      }
      if (target == SqlTypeName.UUID && value instanceof NlsString text) {
        // DuckDB reads the text as PruningPredicates.convert does (UuidText); null if not one.
        byte[] bytes = UuidText.parseOrNull(text.getValue());
        return bytes == null ? null : UuidText.uuid(bytes);
      }
      if (target == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE
          && value instanceof TimestampString) {
        // DuckDB's session zone is UTC (DuckDbStore), so the wall time is the UTC instant.
        return value;
      }
      if (target == SqlTypeName.DATE || target == SqlTypeName.TIMESTAMP
          || target == SqlTypeName.VARCHAR || target == SqlTypeName.CHAR) {
        return value instanceof DateString || value instanceof TimestampString
            || value instanceof NlsString ? sameKind(value, target) : null;
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      return null; // not a constant we can evaluate exactly: do not prune on it
    }
    return null;
  }

  /**
   * A number cast to {@code type}, only where the cast changes nothing: DuckDB rounds
   * {@code CAST(2.5 AS INTEGER)} to 3, and pruning on 2.5 would skip batches that hold 3.
   */
  private static BigDecimal number(Object value, RelDataType type) {
    boolean exactTarget = SqlTypeFamily.EXACT_NUMERIC.contains(type);
    BigDecimal number = value instanceof BigDecimal ? (BigDecimal) value
        : value instanceof NlsString && exactTarget
            ? new BigDecimal(((NlsString) value).getValue().trim()) : null;
    if (number == null || !exactTarget) {
      return number;
    }
    int scale = number.stripTrailingZeros().scale();
    int allowed = type.getSqlTypeName() == SqlTypeName.DECIMAL ? type.getScale() : 0;
    return scale <= allowed ? number : null;
  }

  private static Object sameKind(Object value, SqlTypeName target) {
    boolean ok = (target == SqlTypeName.DATE && value instanceof DateString)
        || (target == SqlTypeName.TIMESTAMP && value instanceof TimestampString)
        || ((target == SqlTypeName.VARCHAR || target == SqlTypeName.CHAR)
            && value instanceof NlsString);
    return ok ? value : null;
  }

  private static Object arithmetic(RexCall call, Object left, Object right) {
    if (left instanceof BigDecimal && right instanceof BigDecimal
        && SqlTypeFamily.EXACT_NUMERIC.contains(call.getType())) {
      BigDecimal a = (BigDecimal) left;
      BigDecimal b = (BigDecimal) right;
      switch (call.getKind()) {
        case PLUS: return a.add(b);
        case MINUS: return a.subtract(b);
        default: return a.multiply(b);
      }
    }
    if (call.getKind() == SqlKind.TIMES || !(right instanceof BigDecimal)) {
      return null;
    }
    RexNode intervalNode = call.getOperands().get(1);
    if (!SqlTypeFamily.DATETIME_INTERVAL.contains(intervalNode.getType())) {
      return null;
    }
    long amount = ((BigDecimal) right).longValueExact();
    if (call.getKind() == SqlKind.MINUS) {
      amount = Math.negateExact(amount);
    }
    boolean months = SqlTypeFamily.INTERVAL_YEAR_MONTH.contains(intervalNode.getType());
    if (left instanceof DateString) {
      LocalDate d = LocalDate.ofEpochDay(((DateString) left).getDaysSinceEpoch());
      if (months) {
        return DateString.fromDaysSinceEpoch((int) d.plusMonths(amount).toEpochDay());
      }
      return amount % MILLIS_PER_DAY != 0 ? null : DateString.fromDaysSinceEpoch(
          (int) d.plusDays(amount / MILLIS_PER_DAY).toEpochDay());
    }
    if (left instanceof TimestampString) {
      LocalDateTime t = LocalDateTime.parse(left.toString().replace(' ', 'T'));
      t = months ? t.plusMonths(amount) : t.plusNanos(Math.multiplyExact(amount, 1_000_000L));
      return new TimestampString(t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
          t.getHour(), t.getMinute(), t.getSecond()).withNanos(t.getNano());
    }
    return null;
  }
}
