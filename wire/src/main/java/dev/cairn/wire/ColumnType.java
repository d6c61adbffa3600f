package dev.cairn.wire;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Objects;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The SQL type of a column, as a manifest records it and as a batch stores it in Arrow.
 *
 * <p>Cairn keeps a closed set of types so that a manifest's schema is canonical and every
 * engine downstream (Calcite, DuckDB) agrees on it. Each type has exactly one Arrow
 * representation: BIGINT is Int(64, signed), INTEGER Int(32, signed), DOUBLE
 * FloatingPoint(DOUBLE), DECIMAL(p,s) Decimal(p, s, 128), DATE Date(DAY), TIMESTAMP
 * Timestamp(MICROSECOND, no zone), VARCHAR Utf8, BOOLEAN Bool.
 */
public final class ColumnType {
  /** The kinds of column, with the stable code a manifest stores (docs/protocol.md, 4). */
  public enum Kind {
    BIGINT(1), INTEGER(2), DOUBLE(3), DECIMAL(4), DATE(5), TIMESTAMP(6), VARCHAR(7), BOOLEAN(8);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** Returns the byte this kind is stored as. */
    public int code() {
      return code;
    }

    /** Returns the kind stored as {@code code}, or throws BAD_FORMAT. */
    public static Kind fromCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new CairnException(ErrorCode.BAD_FORMAT, "unknown column type code " + code);
    }
  }

  /** Largest DECIMAL precision: what a 128-bit decimal holds. */
  public static final int DECIMAL_PRECISION_MAX = 38;

  public static final ColumnType BIGINT = new ColumnType(Kind.BIGINT, 0, 0);
  public static final ColumnType INTEGER = new ColumnType(Kind.INTEGER, 0, 0);
  public static final ColumnType DOUBLE = new ColumnType(Kind.DOUBLE, 0, 0);
  public static final ColumnType DATE = new ColumnType(Kind.DATE, 0, 0);
  public static final ColumnType TIMESTAMP = new ColumnType(Kind.TIMESTAMP, 0, 0);
  public static final ColumnType VARCHAR = new ColumnType(Kind.VARCHAR, 0, 0);
  public static final ColumnType BOOLEAN = new ColumnType(Kind.BOOLEAN, 0, 0);

  private final Kind kind;
  private final int precision;
  private final int scale;

  private ColumnType(Kind kind, int precision, int scale) {
    this.kind = requireNonNull(kind, "kind");
    this.precision = precision;
    this.scale = scale;
  }

  /** Returns DECIMAL(precision, scale), checking 1 ≤ precision ≤ 38 and 0 ≤ scale ≤ precision. */
  public static ColumnType decimal(int precision, int scale) {
    if (precision < 1 || precision > DECIMAL_PRECISION_MAX || scale < 0 || scale > precision) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "DECIMAL(" + precision + "," + scale + ") needs 1 <= precision <= "
              + DECIMAL_PRECISION_MAX + " and 0 <= scale <= precision");
    }
    return new ColumnType(Kind.DECIMAL, precision, scale);
  }

  /** Returns the type with this kind; precision and scale matter only for DECIMAL. */
  public static ColumnType of(Kind kind, int precision, int scale) {
    switch (kind) {
      case BIGINT: return BIGINT;
      case INTEGER: return INTEGER;
      case DOUBLE: return DOUBLE;
      case DECIMAL: return decimal(precision, scale);
      case DATE: return DATE;
      case TIMESTAMP: return TIMESTAMP;
      case VARCHAR: return VARCHAR;
      case BOOLEAN: return BOOLEAN;
      default: throw new AssertionError(kind);
    }
  }

  /**
   * Parses a SQL type name as users write it: BIGINT, INTEGER (or INT), DOUBLE, DECIMAL(p,s)
   * (or NUMERIC), DATE, TIMESTAMP, VARCHAR (or TEXT, STRING, VARCHAR(n): the length is not
   * enforced), BOOLEAN (or BOOL). Case and blanks do not matter.
   */
  public static ColumnType parse(String sql) {
    String s = sql.trim().toUpperCase(Locale.ROOT).replace(" ", "");
    if (s.startsWith("DECIMAL(") || s.startsWith("NUMERIC(")) {
      return parseDecimal(sql, s.substring(s.indexOf('(') + 1));
    }
    if (s.startsWith("VARCHAR(") && s.endsWith(")")) {
      return VARCHAR;
    }
    switch (s) {
      case "BIGINT": return BIGINT;
      case "INTEGER": case "INT": return INTEGER;
      case "DOUBLE": case "DOUBLEPRECISION": case "FLOAT8": return DOUBLE;
      case "DATE": return DATE;
      case "TIMESTAMP": return TIMESTAMP;
      case "VARCHAR": case "TEXT": case "STRING": return VARCHAR;
      case "BOOLEAN": case "BOOL": return BOOLEAN;
      default:
        throw new CairnException(ErrorCode.BAD_FORMAT, "unknown SQL type '" + sql
            + "': use BIGINT, INTEGER, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP, VARCHAR or BOOLEAN");
    }
  }

  private static ColumnType parseDecimal(String original, String arguments) {
    if (!arguments.endsWith(")")) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "bad DECIMAL type '" + original + "'");
    }
    String[] parts = arguments.substring(0, arguments.length() - 1).split(",", -1);
    try {
      int precision = Integer.parseInt(parts[0]);
      int scale = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      if (parts.length > 2) {
        throw new NumberFormatException();
      }
      return decimal(precision, scale);
    } catch (NumberFormatException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "bad DECIMAL type '" + original + "'");
    }
  }

  /** Returns the type an Arrow field of this Arrow type holds, or throws BAD_FORMAT. */
  public static ColumnType fromArrow(ArrowType arrow) {
    if (arrow instanceof ArrowType.Int) {
      ArrowType.Int i = (ArrowType.Int) arrow;
      if (i.getIsSigned() && i.getBitWidth() == 64) {
        return BIGINT;
      }
      if (i.getIsSigned() && i.getBitWidth() == 32) {
        return INTEGER;
      }
    } else if (arrow instanceof ArrowType.FloatingPoint) {
      if (((ArrowType.FloatingPoint) arrow).getPrecision() == FloatingPointPrecision.DOUBLE) {
        return DOUBLE;
      }
    } else if (arrow instanceof ArrowType.Decimal) {
      ArrowType.Decimal d = (ArrowType.Decimal) arrow;
      if (d.getBitWidth() == 128) {
        return decimal(d.getPrecision(), d.getScale());
      }
    } else if (arrow instanceof ArrowType.Date) {
      if (((ArrowType.Date) arrow).getUnit() == DateUnit.DAY) {
        return DATE;
      }
    } else if (arrow instanceof ArrowType.Timestamp) {
      ArrowType.Timestamp t = (ArrowType.Timestamp) arrow;
      if (t.getUnit() == TimeUnit.MICROSECOND && t.getTimezone() == null) {
        return TIMESTAMP;
      }
    } else if (arrow instanceof ArrowType.Utf8) {
      return VARCHAR;
    } else if (arrow instanceof ArrowType.Bool) {
      return BOOLEAN;
    }
    throw new CairnException(ErrorCode.BAD_FORMAT, "Arrow type " + arrow + " has no Cairn type");
  }

  /** Returns the one Arrow type that stores this column type. */
  public ArrowType toArrow() {
    switch (kind) {
      case BIGINT: return new ArrowType.Int(64, true);
      case INTEGER: return new ArrowType.Int(32, true);
      case DOUBLE: return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case DECIMAL: return new ArrowType.Decimal(precision, scale, 128);
      case DATE: return new ArrowType.Date(DateUnit.DAY);
      case TIMESTAMP: return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case VARCHAR: return ArrowType.Utf8.INSTANCE;
      case BOOLEAN: return ArrowType.Bool.INSTANCE;
      default: throw new AssertionError(kind);
    }
  }

  public Kind kind() {
    return kind;
  }

  /** Returns the DECIMAL precision, or 0 for other kinds. */
  public int precision() {
    return precision;
  }

  /** Returns the DECIMAL scale, or 0 for other kinds. */
  public int scale() {
    return scale;
  }

  /** Returns the SQL spelling, e.g. {@code DECIMAL(15,2)}; {@link #parse} reads it back. */
  public String toSql() {
    return kind == Kind.DECIMAL ? "DECIMAL(" + precision + "," + scale + ")" : kind.name();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ColumnType)) {
      return false;
    }
    ColumnType t = (ColumnType) o;
    return kind == t.kind && precision == t.precision && scale == t.scale;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, precision, scale);
  }

  @Override
  public String toString() {
    return toSql();
  }
}
