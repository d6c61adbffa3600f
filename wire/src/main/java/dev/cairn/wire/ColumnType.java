package dev.cairn.wire;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.sql.Types;
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
 * representation: BIGINT is Int(64, signed), INTEGER Int(32, signed), SMALLINT Int(16,
 * signed), TINYINT Int(8, signed), DOUBLE FloatingPoint(DOUBLE), REAL FloatingPoint(SINGLE),
 * DECIMAL(p,s) Decimal(p, s, 128), DATE Date(DAY), TIME Time(MICROSECOND, 64), TIMESTAMP
 * Timestamp(MICROSECOND, no zone), TIMESTAMPTZ Timestamp(MICROSECOND, "UTC"), VARCHAR Utf8,
 * VARBINARY Binary, BOOLEAN Bool, UUID FixedSizeBinary(16) (the 16 bytes in the order of the
 * canonical text, as RFC 9562 and Arrow's {@code arrow.uuid} extension store them).
 */
public final class ColumnType {
  /**
   * The kinds of column, each with the facts every module needs about it: the stable code a
   * manifest stores (docs/protocol.md, 4), its java.sql.Types code, its JDBC column size,
   * whether it is a number, and how its statistics bounds are held and stored. A new kind is
   * one constant here; the exhaustive switches elsewhere then fail to compile until they
   * handle it.
   */
  public enum Kind {
    BIGINT(1, Types.BIGINT, 19, true, StatsCodec.LONG),
    INTEGER(2, Types.INTEGER, 10, true, StatsCodec.INT),
    DOUBLE(3, Types.DOUBLE, 15, true, StatsCodec.DOUBLE),
    DECIMAL(4, Types.DECIMAL, DECIMAL_PRECISION_MAX, true, StatsCodec.DECIMAL),
    DATE(5, Types.DATE, 10, false, StatsCodec.INT),
    TIMESTAMP(6, Types.TIMESTAMP, 26, false, StatsCodec.LONG),
    VARCHAR(7, Types.VARCHAR, Integer.MAX_VALUE, false, StatsCodec.STRING),
    BOOLEAN(8, Types.BOOLEAN, 1, false, StatsCodec.BOOLEAN),
    /** An instant: microseconds since 1970-01-01T00:00Z, shown in UTC. */
    TIMESTAMPTZ(9, Types.TIMESTAMP_WITH_TIMEZONE, 32, false, StatsCodec.LONG),
    /** A 16-bit integer; bounds are held and stored as INT. */
    SMALLINT(10, Types.SMALLINT, 5, true, StatsCodec.INT),
    /** An 8-bit integer; bounds are held and stored as INT. */
    TINYINT(11, Types.TINYINT, 3, true, StatsCodec.INT),
    /** A 32-bit float; bounds are the exact double of a float, stored as DOUBLE. */
    REAL(12, Types.REAL, 7, true, StatsCodec.DOUBLE),
    /** A time of day without zone: microseconds since midnight, 0 to 86 400 000 000. */
    TIME(13, Types.TIME, 15, false, StatsCodec.LONG),
    /** Bytes; no bounds are kept (docs/protocol.md, 4), so only null counts prune. */
    VARBINARY(14, Types.VARBINARY, Integer.MAX_VALUE, false, StatsCodec.NONE),
    /**
     * A UUID: 16 bytes. JDBC has no UUID type; like PostgreSQL's driver and DuckDB's, it is
     * {@link Types#OTHER} named UUID, read as a {@link java.util.UUID}; its size is the text's.
     */
    UUID(15, Types.OTHER, 36, false, StatsCodec.UUID);

    private final int code;
    private final int jdbcType;
    private final int columnSizeMax;
    private final boolean numeric;
    private final StatsCodec statsCodec;

    Kind(int code, int jdbcType, int columnSizeMax, boolean numeric, StatsCodec statsCodec) {
      this.code = code;
      this.jdbcType = jdbcType;
      this.columnSizeMax = columnSizeMax;
      this.numeric = numeric;
      this.statsCodec = statsCodec;
    }

    /** Returns the byte this kind is stored as. */
    public int code() {
      return code;
    }

    /** Returns the {@link java.sql.Types} code JDBC reports for this kind. */
    public int jdbcType() {
      return jdbcType;
    }

    /**
     * Returns the largest JDBC column size of this kind: digits for numbers, characters for
     * dates and times, length for text (VARCHAR is unbounded, so Integer.MAX_VALUE).
     */
    public int columnSizeMax() {
      return columnSizeMax;
    }

    /** Returns true for the kinds that hold numbers (base 10 in JDBC metadata). */
    public boolean numeric() {
      return numeric;
    }

    /** Returns how this kind's statistics bounds are held in Java and stored in manifests. */
    public StatsCodec statsCodec() {
      return statsCodec;
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

  /**
   * How a statistics bound is held in Java and encoded in a manifest (docs/protocol.md, 4,
   * "Statistics values"); several kinds share one (DATE is an INT of epoch days, TIMESTAMP a
   * LONG of epoch microseconds).
   */
  public enum StatsCodec {
    /** A Long, stored as 8 bytes big-endian. */
    LONG(Long.class),
    /** An Integer, stored as 4 bytes big-endian. */
    INT(Integer.class),
    /** A Double (never NaN or -0.0), stored as its 8 raw IEEE bytes. */
    DOUBLE(Double.class),
    /** A BigDecimal at the column's scale, stored as minimal two's complement unscaled bytes. */
    DECIMAL(BigDecimal.class),
    /** A String, stored as length-prefixed UTF-8. */
    STRING(String.class),
    /** A Boolean, stored as one byte 0 or 1. */
    BOOLEAN(Boolean.class),
    /**
     * A UUID as its canonical lower-case text (so String order is byte order, DuckDB's order
     * of UUIDs), stored as its 16 bytes.
     */
    UUID(String.class),
    /** No bounds at all: min and max are always unknown (Void has no instances). */
    NONE(Void.class);

    private final Class<?> boundClass;

    StatsCodec(Class<?> boundClass) {
      this.boundClass = boundClass;
    }

    /** Returns the Java class a bound of this codec is. */
    public Class<?> boundClass() {
      return boundClass;
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
  public static final ColumnType TIMESTAMPTZ = new ColumnType(Kind.TIMESTAMPTZ, 0, 0);
  public static final ColumnType SMALLINT = new ColumnType(Kind.SMALLINT, 0, 0);
  public static final ColumnType TINYINT = new ColumnType(Kind.TINYINT, 0, 0);
  public static final ColumnType REAL = new ColumnType(Kind.REAL, 0, 0);
  public static final ColumnType TIME = new ColumnType(Kind.TIME, 0, 0);
  public static final ColumnType VARBINARY = new ColumnType(Kind.VARBINARY, 0, 0);
  public static final ColumnType UUID = new ColumnType(Kind.UUID, 0, 0);

  /** The bytes of a UUID column's Arrow FixedSizeBinary values. */
  public static final int UUID_BYTES = 16;

  /** The zone a TIMESTAMPTZ column's Arrow type names: values are UTC instants. */
  public static final String TIMESTAMPTZ_ARROW_ZONE = "UTC";

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
    return switch (kind) {
      case BIGINT -> BIGINT;
      case INTEGER -> INTEGER;
      case DOUBLE -> DOUBLE;
      case DECIMAL -> decimal(precision, scale);
      case DATE -> DATE;
      case TIMESTAMP -> TIMESTAMP;
      case VARCHAR -> VARCHAR;
      case BOOLEAN -> BOOLEAN;
      case TIMESTAMPTZ -> TIMESTAMPTZ;
      case SMALLINT -> SMALLINT;
      case TINYINT -> TINYINT;
      case REAL -> REAL;
      case TIME -> TIME;
      case VARBINARY -> VARBINARY;
      case UUID -> UUID;
    };
  }

  /**
   * Parses a SQL type name as users write it: BIGINT, INTEGER (or INT), DOUBLE, DECIMAL(p,s)
   * (or NUMERIC), DATE, TIMESTAMP, VARCHAR (or TEXT, STRING, VARCHAR(n): the length is not
   * enforced), BOOLEAN (or BOOL), TIMESTAMPTZ (or TIMESTAMP WITH TIME ZONE), SMALLINT (or
   * INT2, SHORT), TINYINT (or INT1), REAL (or FLOAT4, FLOAT), TIME, VARBINARY (or BLOB, BYTEA,
   * BINARY, VARBINARY(n)), UUID. Case and blanks do not matter.
   */
  public static ColumnType parse(String sql) {
    String s = sql.trim().toUpperCase(Locale.ROOT).replace(" ", "");
    if (s.startsWith("DECIMAL(") || s.startsWith("NUMERIC(")) {
      return parseDecimal(sql, s.substring(s.indexOf('(') + 1));
    }
    if (s.startsWith("VARCHAR(") && s.endsWith(")")) {
      return VARCHAR;
    }
    if (s.startsWith("VARBINARY(") && s.endsWith(")")) {
      return VARBINARY;
    }
    switch (s) {
      case "BIGINT": return BIGINT;
      case "INTEGER": case "INT": return INTEGER;
      case "DOUBLE": case "DOUBLEPRECISION": case "FLOAT8": return DOUBLE;
      case "DATE": return DATE;
      case "TIMESTAMP": return TIMESTAMP;
      case "VARCHAR": case "TEXT": case "STRING": return VARCHAR;
      case "BOOLEAN": case "BOOL": return BOOLEAN;
      case "TIMESTAMPTZ": case "TIMESTAMPWITHTIMEZONE": return TIMESTAMPTZ;
      case "SMALLINT": case "INT2": case "SHORT": return SMALLINT;
      case "TINYINT": case "INT1": return TINYINT;
      case "REAL": case "FLOAT4": case "FLOAT": return REAL;
      case "TIME": return TIME;
      case "VARBINARY": case "BLOB": case "BYTEA": case "BINARY": return VARBINARY;
      case "UUID": return UUID;
      default:
        throw new CairnException(ErrorCode.BAD_FORMAT, "unknown SQL type '" + sql
            + "': use BIGINT, INTEGER, SMALLINT, TINYINT, DOUBLE, REAL, DECIMAL(p,s), DATE,"
            + " TIME, TIMESTAMP, TIMESTAMPTZ, VARCHAR, VARBINARY, BOOLEAN or UUID");
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

  /**
   * Returns the type an Arrow field of this Arrow type holds, or throws BAD_FORMAT: the one
   * mapping from Arrow inputs. Signed Int(64/32/16/8) are BIGINT/INTEGER/SMALLINT/TINYINT,
   * FloatingPoint DOUBLE/SINGLE are DOUBLE/REAL, Decimal(p,s,128) DECIMAL, Date(DAY) DATE,
   * Timestamp(MICROSECOND) TIMESTAMP without a zone and TIMESTAMPTZ with any zone (the values
   * are UTC instants either way), Time(MICROSECOND, 64) TIME, Utf8 VARCHAR, Binary VARBINARY,
   * Bool BOOLEAN, FixedSizeBinary(16) UUID (any 16 bytes are a UUID; a field that names another
   * extension type is refused by {@link TableSchema#fromArrow}). Other units and widths have no Cairn type: an input reader converts them.
   */
  public static ColumnType fromArrow(ArrowType arrow) {
    ColumnType type = fromArrowOrNull(arrow);
    if (type == null) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "Arrow type " + arrow
          + " has no Cairn type");
    }
    return type;
  }

  private static ColumnType fromArrowOrNull(ArrowType arrow) {
    if (arrow instanceof ArrowType.Int i) {
      return i.getIsSigned() ? fromIntBits(i.getBitWidth()) : null;
    } else if (arrow instanceof ArrowType.FloatingPoint f) {
      return switch (f.getPrecision()) {
        case DOUBLE -> DOUBLE;
        case SINGLE -> REAL;
        case HALF -> null;
      };
    } else if (arrow instanceof ArrowType.Decimal d) {
      return d.getBitWidth() == 128 ? decimal(d.getPrecision(), d.getScale()) : null;
    } else if (arrow instanceof ArrowType.Date d) {
      return d.getUnit() == DateUnit.DAY ? DATE : null;
    } else if (arrow instanceof ArrowType.Timestamp t) {
      if (t.getUnit() != TimeUnit.MICROSECOND) {
        return null;
      }
      return t.getTimezone() == null ? TIMESTAMP : TIMESTAMPTZ;
    } else if (arrow instanceof ArrowType.Time t) {
      return t.getUnit() == TimeUnit.MICROSECOND && t.getBitWidth() == 64 ? TIME : null;
    } else if (arrow instanceof ArrowType.Utf8) {
      return VARCHAR;
    } else if (arrow instanceof ArrowType.Binary) {
      return VARBINARY;
    } else if (arrow instanceof ArrowType.Bool) {
      return BOOLEAN;
    } else if (arrow instanceof ArrowType.FixedSizeBinary b) {
      return b.getByteWidth() == UUID_BYTES ? UUID : null;
    }
    return null;
  }

  private static ColumnType fromIntBits(int bits) {
    return switch (bits) {
      case 64 -> BIGINT;
      case 32 -> INTEGER;
      case 16 -> SMALLINT;
      case 8 -> TINYINT;
      default -> null;
    };
  }

  /** Returns the one Arrow type that stores this column type. */
  public ArrowType toArrow() {
    return switch (kind) {
      case BIGINT -> new ArrowType.Int(64, true);
      case INTEGER -> new ArrowType.Int(32, true);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case DECIMAL -> new ArrowType.Decimal(precision, scale, 128);
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case VARCHAR -> ArrowType.Utf8.INSTANCE;
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case TIMESTAMPTZ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, TIMESTAMPTZ_ARROW_ZONE);
      case SMALLINT -> new ArrowType.Int(16, true);
      case TINYINT -> new ArrowType.Int(8, true);
      case REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      case VARBINARY -> ArrowType.Binary.INSTANCE;
      case UUID -> new ArrowType.FixedSizeBinary(UUID_BYTES);
    };
  }

  /** Returns the JDBC column size: DECIMAL's precision, else {@link Kind#columnSizeMax}. */
  public int columnSize() {
    return kind == Kind.DECIMAL ? precision : kind.columnSizeMax();
  }

  /**
   * Returns the digits after the point JDBC reports (DECIMAL's scale, 6 for the microseconds
   * of TIMESTAMP, TIMESTAMPTZ and TIME, 0 for the small integers), or null where the kind has
   * none.
   */
  public Integer fractionalDigits() {
    return switch (kind) {
      case DECIMAL -> scale;
      case TIMESTAMP, TIMESTAMPTZ, TIME -> 6;
      case SMALLINT, TINYINT -> 0;
      case BIGINT, INTEGER, DOUBLE, REAL, DATE, VARCHAR, VARBINARY, BOOLEAN, UUID -> null;
    };
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

  /**
   * Returns the SQL spelling, e.g. {@code DECIMAL(15,2)} or {@code TIMESTAMP WITH TIME ZONE},
   * which is also a DuckDB type name; {@link #parse} reads it back.
   */
  public String toSql() {
    return switch (kind) {
      case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
      case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
      case BIGINT, INTEGER, SMALLINT, TINYINT, DOUBLE, REAL, DATE, TIME, TIMESTAMP, VARCHAR,
          VARBINARY, BOOLEAN, UUID -> kind.name();
    };
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
