package dev.cairn.wire.manifest;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.UuidText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Checks, orders, writes and reads one statistics bound of one column kind (docs/protocol.md,
 * 4, "Statistics values"). Every value has exactly one encoding: DECIMAL unscaled values use
 * the minimal two's complement bytes, DOUBLE never stores NaN or -0.0, BOOLEAN only 0 or 1.
 */
final class StatValues {
  /** A 128-bit decimal's unscaled value fits 16 bytes. */
  static final int DECIMAL_BYTES_MAX = 16;

  private static final long NEGATIVE_ZERO_BITS = Long.MIN_VALUE;

  private StatValues() {}

  /** Throws BAD_FORMAT unless {@code stats} fit {@code column}'s type and min ≤ max. */
  static void check(ColumnType type, ColumnStats stats, String where) {
    checkBound(type, stats.min(), where + " min");
    checkBound(type, stats.max(), where + " max");
    if (stats.min() != null && stats.max() != null
        && compare(type.kind(), stats.min(), stats.max()) > 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          where + ": min " + stats.min() + " is greater than max " + stats.max());
    }
  }

  private static void checkBound(ColumnType type, Object value, String where) {
    if (value == null) {
      return;
    }
    if (!ColumnStats.boundFits(type.kind(), value)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, where + " is a "
          + value.getClass().getSimpleName() + ", which does not fit a " + type + " column");
    }
    // A switch expression, not a statement, so that a new codec fails to compile here.
    Runnable check = switch (type.kind().statsCodec()) {
      case DOUBLE -> () -> checkDouble((Double) value, where);
      case DECIMAL -> () -> checkDecimal(type, (BigDecimal) value, where);
      case STRING -> () -> checkString((String) value, where);
      case UUID -> () -> checkUuid((String) value, where);
      case LONG, INT, BOOLEAN -> () -> { }; // every value of the class is a valid bound
      case NONE -> () -> { }; // unreachable: boundFits refused every value above
    };
    check.run();
  }

  private static void checkDouble(Double value, String where) {
    if (value.isNaN()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, where + " is NaN; leave it out");
    }
  }

  private static void checkUuid(String value, String where) {
    if (!UuidText.isCanonical(value)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, where + " '" + value
          + "' is not a UUID's canonical lower-case text");
    }
  }

  private static void checkString(String value, String where) {
    int bytes = ByteSink.strictUtf8(value, where).length;
    if (bytes > ColumnStats.STRING_BOUND_BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, where + " is " + bytes
          + " UTF-8 bytes; bounds longer than " + ColumnStats.STRING_BOUND_BYTES_MAX
          + " are left out");
    }
  }

  private static void checkDecimal(ColumnType type, BigDecimal value, String where) {
    if (value.scale() != type.scale()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, where + " " + value + " has scale "
          + value.scale() + " but the column is " + type);
    }
    if (value.unscaledValue().abs().compareTo(BigInteger.TEN.pow(type.precision())) >= 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT, where + " " + value
          + " has more digits than " + type + " allows");
    }
  }

  /** Orders two bounds of one kind as the statistics define it. */
  @SuppressWarnings("unchecked")
  static int compare(ColumnType.Kind kind, Object a, Object b) {
    if (kind.statsCodec() == ColumnType.StatsCodec.STRING) {
      return Arrays.compareUnsigned(ByteSink.strictUtf8((String) a, "bound"),
          ByteSink.strictUtf8((String) b, "bound"));
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  static void write(ByteSink out, ColumnType type, Object value) {
    Runnable write = switch (type.kind().statsCodec()) {
      case LONG -> () -> out.i64((Long) value);
      case INT -> () -> out.i32((Integer) value);
      case DOUBLE -> () -> out.i64(Double.doubleToRawLongBits((Double) value));
      case DECIMAL -> () -> writeDecimal(out, (BigDecimal) value);
      case STRING -> () -> out.string((String) value, ColumnStats.STRING_BOUND_BYTES_MAX, "bound");
      case BOOLEAN -> () -> out.bool((Boolean) value);
      case UUID -> () -> out.bytes(UuidText.parse((String) value, "bound"));
      case NONE -> () -> {
        throw new IllegalArgumentException(type + " has no bounds"); // check() refuses them
      };
    };
    write.run();
  }

  private static void writeDecimal(ByteSink out, BigDecimal value) {
    byte[] unscaled = value.unscaledValue().toByteArray();
    out.u8(unscaled.length);
    out.bytes(unscaled);
  }

  static Object read(ByteSource in, ColumnType type, String field) {
    return switch (type.kind().statsCodec()) {
      case LONG -> in.i64(field);
      case INT -> in.i32(field);
      case DOUBLE -> readDouble(in, field);
      case DECIMAL -> readDecimal(in, type, field);
      case STRING -> in.string(0, ColumnStats.STRING_BOUND_BYTES_MAX, field);
      case BOOLEAN -> in.bool(field);
      case UUID -> UuidText.format(in.bytes(ColumnType.UUID_BYTES, field));
      case NONE -> throw in.error(field + " is present, but a " + type + " column has no bounds");
    };
  }

  private static Double readDouble(ByteSource in, String field) {
    long bits = in.i64(field);
    double value = Double.longBitsToDouble(bits);
    if (Double.isNaN(value)) {
      throw in.error(field + " is NaN, which a bound may not be");
    }
    if (bits == NEGATIVE_ZERO_BITS) {
      throw in.error(field + " is -0.0, which is stored as +0.0");
    }
    return value;
  }

  private static BigDecimal readDecimal(ByteSource in, ColumnType type, String field) {
    int length = in.u8(field + " length");
    if (length < 1 || length > DECIMAL_BYTES_MAX) {
      throw in.error(field + " length must be 1 to " + DECIMAL_BYTES_MAX + ", not " + length);
    }
    byte[] unscaled = in.bytes(length, field);
    // Minimal two's complement: the first byte is not a mere sign extension of the second.
    if (length > 1 && ((unscaled[0] == 0 && unscaled[1] >= 0)
        || (unscaled[0] == -1 && unscaled[1] < 0))) {
      throw in.error(field + " is not in minimal two's complement form");
    }
    return new BigDecimal(new BigInteger(unscaled), type.scale());
  }
}
