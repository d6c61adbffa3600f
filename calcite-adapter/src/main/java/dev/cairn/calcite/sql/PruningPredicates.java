package dev.cairn.calcite.sql;

import com.google.common.collect.Range;
import dev.cairn.calcite.sql.PruningPredicate.Op;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.UuidText;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Reads {@link PruningPredicate}s out of the condition of a filter that sits directly on a table
 * scan. Only top-level conjuncts count (a predicate under NOT is skipped, and under OR only
 * equalities of one column with literals, read as an IN list), only
 * {@code column OP literal} shapes count, and a literal counts only if it converts exactly to
 * the column's statistics class; anything else is left out, which is always safe.
 */
final class PruningPredicates {
  private PruningPredicates() {}

  /** Returns the simple predicates among the conjuncts of {@code condition} over a scan. */
  static List<PruningPredicate> of(RexNode condition, TableSchema schema) {
    List<PruningPredicate> out = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
      if (booleanColumn(conjunct, schema, out)) {
        continue;
      }
      if (!(conjunct instanceof RexCall)) {
        continue;
      }
      RexCall call = (RexCall) conjunct;
      switch (call.getKind()) {
        case EQUALS: case LESS_THAN: case LESS_THAN_OR_EQUAL: case GREATER_THAN:
        case GREATER_THAN_OR_EQUAL:
          comparison(call, schema, out);
          break;
        case SEARCH:
          search(call, schema, out);
          break;
        case OR:
          pointsOfOneColumn(call, schema, out);
          break;
        default:
          break;
      }
    }
    List<PruningPredicate> loosened = new ArrayList<>(out.size());
    for (PruningPredicate p : out) {
      boolean real = schema.column(p.column()).type().kind() == ColumnType.Kind.REAL;
      loosened.add(real ? loosenForReal(p) : p);
    }
    return mergeRanges(loosened);
  }

  /** Turns {@code c >= a AND c <= b} into {@code c BETWEEN a AND b}, as a Sarg would have. */
  private static List<PruningPredicate> mergeRanges(List<PruningPredicate> found) {
    List<PruningPredicate> out = new ArrayList<>(found);
    for (PruningPredicate low : found) {
      for (PruningPredicate high : found) {
        if (low.op() == Op.GE && high.op() == Op.LE && low.column() == high.column()
            && out.contains(low) && out.contains(high)) {
          out.remove(low);
          out.remove(high);
          out.add(new PruningPredicate(low.column(), low.columnName(), Op.BETWEEN,
              List.of(low.values().get(0), high.values().get(0))));
        }
      }
    }
    return out;
  }

  /** {@code WHERE flag} is {@code flag = TRUE}; {@code WHERE NOT flag} is {@code flag = FALSE}. */
  private static boolean booleanColumn(RexNode conjunct, TableSchema schema,
      List<PruningPredicate> out) {
    boolean negated = conjunct.getKind() == SqlKind.NOT;
    RexNode operand = negated ? ((RexCall) conjunct).getOperands().get(0) : conjunct;
    if (!(operand instanceof RexInputRef)) {
      return false;
    }
    Column c = schema.column(((RexInputRef) operand).getIndex());
    if (c.type().kind() != ColumnType.Kind.BOOLEAN) {
      return false;
    }
    out.add(new PruningPredicate(((RexInputRef) operand).getIndex(), c.name(), Op.EQ,
        List.of(!negated)));
    return true;
  }

  private static void comparison(RexCall call, TableSchema schema, List<PruningPredicate> out) {
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    SqlKind kind = call.getKind();
    int column = columnIndex(left);
    if (column < 0) {
      column = columnIndex(right);
      right = left;
      kind = kind.reverse();
    }
    if (column < 0) {
      return;
    }
    Column c = schema.column(column);
    Object value = convert(ConstantFolder.value(right), c.type());
    if (value != null) {
      out.add(new PruningPredicate(column, c.name(), op(kind), List.of(value)));
    }
  }

  private static Op op(SqlKind kind) {
    switch (kind) {
      case EQUALS: return Op.EQ;
      case LESS_THAN: return Op.LT;
      case LESS_THAN_OR_EQUAL: return Op.LE;
      case GREATER_THAN: return Op.GT;
      case GREATER_THAN_OR_EQUAL: return Op.GE;
      default: throw new AssertionError(kind);
    }
  }

  /**
   * {@code c = a OR c = b OR ...} as {@code c IN (a, b, ...)}: Calcite makes no Sarg of an IN
   * list whose literals are of another type than the column (text against a UUID column), so
   * such a list reaches here as a disjunction. Anything else under the OR (another column, a
   * range, a literal that does not convert) leaves the whole disjunction out.
   */
  private static void pointsOfOneColumn(RexCall or, TableSchema schema,
      List<PruningPredicate> out) {
    int column = -1;
    List<Object> points = new ArrayList<>();
    for (RexNode disjunct : RelOptUtil.disjunctions(or)) {
      if (!(disjunct instanceof RexCall call)) {
        return;
      }
      List<PruningPredicate> one = new ArrayList<>(1);
      switch (call.getKind()) {
        case EQUALS -> comparison(call, schema, one);
        case SEARCH -> search(call, schema, one);
        default -> {
          return;
        }
      }
      if (one.size() != 1 || (one.get(0).op() != Op.EQ && one.get(0).op() != Op.IN)
          || (column >= 0 && one.get(0).column() != column)) {
        return;
      }
      column = one.get(0).column();
      for (Object value : one.get(0).values()) {
        if (!points.contains(value)) {
          points.add(value);
        }
      }
    }
    out.add(new PruningPredicate(column, schema.column(column).name(),
        points.size() == 1 ? Op.EQ : Op.IN, points));
  }

  /** {@code SEARCH(column, Sarg)}: what BETWEEN, IN and range conjunctions simplify into. */
  private static void search(RexCall call, TableSchema schema, List<PruningPredicate> out) {
    int column = columnIndex(call.getOperands().get(0));
    RexNode arg = call.getOperands().get(1);
    if (column < 0 || !(arg instanceof RexLiteral)) {
      return;
    }
    Sarg<?> sarg = ((RexLiteral) arg).getValueAs(Sarg.class);
    if (sarg == null || sarg.nullAs == RexUnknownAs.TRUE) {
      return; // NULL rows satisfy it too, so bounds on values would drop needed rows
    }
    Column c = schema.column(column);
    if (sarg.isPoints()) {
      List<Object> points = new ArrayList<>();
      for (Range<?> r : sarg.rangeSet.asRanges()) {
        Object v = convert(r.lowerEndpoint(), c.type());
        if (v == null) {
          return;
        }
        points.add(v);
      }
      if (!points.isEmpty()) {
        out.add(new PruningPredicate(column, c.name(),
            points.size() == 1 ? Op.EQ : Op.IN, points));
      }
      return;
    }
    if (sarg.rangeSet.isEmpty()) {
      return;
    }
    bounds(sarg.rangeSet.span(), column, c, out);
  }

  private static void bounds(Range<?> span, int column, Column c, List<PruningPredicate> out) {
    Object low = span.hasLowerBound() ? convert(span.lowerEndpoint(), c.type()) : null;
    Object high = span.hasUpperBound() ? convert(span.upperEndpoint(), c.type()) : null;
    boolean lowClosed = low != null && span.lowerBoundType() == com.google.common.collect
        .BoundType.CLOSED;
    boolean highClosed = high != null && span.upperBoundType() == com.google.common.collect
        .BoundType.CLOSED;
    if (lowClosed && highClosed) {
      out.add(new PruningPredicate(column, c.name(), Op.BETWEEN, List.of(low, high)));
      return;
    }
    if (low != null) {
      out.add(new PruningPredicate(column, c.name(), lowClosed ? Op.GE : Op.GT, List.of(low)));
    }
    if (high != null) {
      out.add(new PruningPredicate(column, c.name(), highClosed ? Op.LE : Op.LT,
          List.of(high)));
    }
  }

  /**
   * Returns the column a bare reference reads, or a lossless cast of one to a wider numeric type
   * or to the same type with more precision (order-preserving either way), or -1.
   */
  private static int columnIndex(RexNode node) {
    if (node instanceof RexInputRef) {
      return ((RexInputRef) node).getIndex();
    }
    if (node.getKind() == SqlKind.CAST && RexUtil.isLosslessCast(node)) {
      RexNode operand = ((RexCall) node).getOperands().get(0);
      boolean numeric = SqlTypeFamily.NUMERIC.contains(operand.getType())
          && SqlTypeFamily.NUMERIC.contains(node.getType());
      boolean sameType = operand.getType().getSqlTypeName() == node.getType().getSqlTypeName();
      if (operand instanceof RexInputRef && (numeric || sameType)) {
        return ((RexInputRef) operand).getIndex();
      }
    }
    return -1;
  }

  /**
   * Returns {@code value} (Calcite's internal literal form) as the statistics class of
   * {@code type}, or null if it is not exactly representable there.
   */
  static Object convert(Object value, ColumnType type) {
    if (value == null) {
      return null;
    }
    return switch (type.kind()) {
      case BIGINT -> {
        BigDecimal d = decimal(value);
        yield d == null ? null : exactLong(d);
      }
      case INTEGER -> {
        BigDecimal d = decimal(value);
        Long l = d == null ? null : exactLong(d);
        yield l == null || l != l.intValue() ? null : Integer.valueOf(l.intValue());
      }
      case SMALLINT, TINYINT -> {
        BigDecimal d = decimal(value);
        Long l = d == null ? null : exactLong(d);
        yield l == null || l != l.intValue() ? null : Integer.valueOf(l.intValue());
      }
      case DOUBLE, REAL -> {
        BigDecimal d = decimal(value);
        yield d == null ? (value instanceof Double ? value : null) : d.doubleValue();
      }
      case DECIMAL -> decimal(value);
      case DATE -> value instanceof DateString ? ((DateString) value).getDaysSinceEpoch() : null;
      case TIMESTAMP -> value instanceof TimestampString ? micros((TimestampString) value) : null;
      // Calcite keeps an instant's literal as its UTC wall time.
      case TIMESTAMPTZ -> value instanceof TimestampString ? micros((TimestampString) value)
          : null;
      case TIME -> value instanceof TimeString ? microsOfDay((TimeString) value) : null;
      // No bounds are kept, so the value never compares; an all-NULL batch still prunes.
      case VARBINARY -> value instanceof ByteString ? value : null;
      case VARCHAR -> value instanceof NlsString ? ((NlsString) value).getValue()
          : value instanceof String ? value : null;
      case BOOLEAN -> value instanceof Boolean ? value : null;
      case UUID -> uuidText(value);
    };
  }

  /** A UUID literal (Calcite holds a java.util.UUID) as the bounds' canonical text. */
  private static String uuidText(Object value) {
    if (value instanceof java.util.UUID uuid) {
      return UuidText.format(UuidText.bytes(uuid));
    }
    String text = value instanceof NlsString ? ((NlsString) value).getValue()
        : value instanceof String ? (String) value : null;
    byte[] bytes = text == null ? null : UuidText.parseOrNull(text);
    return bytes == null ? null : UuidText.format(bytes);
  }

  private static BigDecimal decimal(Object value) {
    if (value instanceof BigDecimal) {
      return (BigDecimal) value;
    }
    if (value instanceof Long || value instanceof Integer) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    return null;
  }

  private static Long exactLong(BigDecimal d) {
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      return null; // fractional or too large: leave the predicate out
    }
  }

  private static Long microsOfDay(TimeString time) {
    return LocalTime.parse(time.toString()).toNanoOfDay() / 1_000L;
  }

  /**
   * Loosens a REAL column's predicate so that it holds whether DuckDB compares in float (the
   * literal rounded to a float) or in double (the value widened): each literal becomes the
   * lower or upper of itself and its float, strict comparisons become inclusive, and points
   * become the range around them. Looser is always safe; it only prunes less.
   */
  private static PruningPredicate loosenForReal(PruningPredicate p) {
    List<Object> v = p.values();
    return switch (p.op()) {
      case GT, GE -> new PruningPredicate(p.column(), p.columnName(), Op.GE,
          List.of(floatLow(v.get(0))));
      case LT, LE -> new PruningPredicate(p.column(), p.columnName(), Op.LE,
          List.of(floatHigh(v.get(0))));
      case EQ, IN, BETWEEN -> new PruningPredicate(p.column(), p.columnName(), Op.BETWEEN,
          List.of(v.stream().map(PruningPredicates::floatLow).min(Double::compare).get(),
              v.stream().map(PruningPredicates::floatHigh).max(Double::compare).get()));
    };
  }

  private static double floatLow(Object value) {
    double d = (Double) value;
    return Math.min(d, (float) d);
  }

  private static double floatHigh(Object value) {
    double d = (Double) value;
    return Math.max(d, (float) d);
  }

  private static Long micros(TimestampString ts) {
    LocalDateTime t = LocalDateTime.parse(ts.toString().replace(' ', 'T'));
    long seconds = t.toEpochSecond(ZoneOffset.UTC);
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), t.getNano() / 1_000L);
  }
}
