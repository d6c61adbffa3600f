package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Computes one column's {@link ColumnStats} over one or more vectors, following the rules in
 * {@link ColumnStats}' Javadoc and docs/protocol.md, 5.
 *
 * <p>Values are read straight from the Arrow buffers, never boxed per row; only the final
 * bounds become Java objects. One subclass per storage family: integers widened to 64 bits
 * (BIGINT, INTEGER, SMALLINT, TINYINT, DATE, TIME, TIMESTAMP, TIMESTAMPTZ and BOOLEAN), floats
 * and doubles, 128-bit decimals, UTF-8 strings, UUIDs' 16 bytes (unsigned), and null counts
 * only (VARBINARY). Collecting
 * also checks what Arrow does not: no nulls in a NOT NULL column, DECIMAL values within their
 * precision, VARCHAR values that are valid UTF-8, TIME values within a day (all BAD_FORMAT).
 */
public abstract class ColumnStatsCollector {
  private final Column column;
  private long rowCount;
  private long nullCount;

  ColumnStatsCollector(Column column) {
    this.column = column;
  }

  /** Returns an empty collector for {@code column}. */
  public static ColumnStatsCollector forColumn(Column column) {
    return switch (column.type().kind().statsCodec()) {
      case DOUBLE -> new DoubleStatsCollector(column);
      case DECIMAL -> new DecimalStatsCollector(column);
      case STRING -> new StringStatsCollector(column);
      case LONG, INT, BOOLEAN -> new IntegerStatsCollector(column);
      case UUID -> new UuidStatsCollector(column);
      case NONE -> new NullCountCollector(column);
    };
  }

  /** Returns the statistics of every column over all {@code batches}, in schema order. */
  public static List<ColumnStats> collect(TableSchema schema, List<VectorSchemaRoot> batches) {
    List<ColumnStats> stats = new ArrayList<>(schema.size());
    for (int index = 0; index < schema.size(); index++) {
      ColumnStatsCollector collector = forColumn(schema.column(index));
      for (VectorSchemaRoot batch : batches) {
        collector.add(batch.getVector(index), batch instanceof ParsedRoot);
      }
      stats.add(collector.finish());
    }
    return stats;
  }

  /** Adds every value of {@code vector} (its value count) to the statistics. */
  public final void add(FieldVector vector) {
    add(vector, false);
  }

  /**
   * Adds every value of {@code vector} as {@link #add(FieldVector)} does; {@code utf8Checked}
   * says that a parser already checked its VARCHAR bytes as strict UTF-8 ({@link ParsedRoot}),
   * so they are not checked again. Every other check still runs.
   */
  public final void add(FieldVector vector, boolean utf8Checked) {
    int rows = vector.getValueCount();
    long nulls = vector.getNullCount();
    startVector(vector, utf8Checked);
    acceptAll(vector, rows, nulls > 0 ? vector.getValidityBuffer() : null);
    if (nulls > 0 && !column.nullable()) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "NOT NULL column '" + column.name() + "' has " + nulls + " nulls");
    }
    rowCount += rows;
    nullCount += nulls;
  }

  /** Returns how many rows were added. */
  public final long rowCount() {
    return rowCount;
  }

  /** Returns the statistics of everything added. */
  public final ColumnStats finish() {
    return new ColumnStats(nullCount, minimum(), maximum());
  }

  final Column column() {
    return column;
  }

  /**
   * Prepares reading {@code vector}, whose VARCHAR bytes are already checked UTF-8 if {@code
   * utf8Checked}; called once per {@link #add} before any value.
   */
  void startVector(FieldVector vector, boolean utf8Checked) {
  }

  /** Folds the non-null value at {@code row} into the bounds. */
  abstract void accept(FieldVector vector, int row);

  /**
   * Folds the non-null values among the first {@code rows} of {@code vector} into the bounds;
   * {@code validity} is null when none is null. Here by one {@link #accept} a value; the
   * collectors of the common kinds loop on their own over a heap copy of the values, where a
   * loop here made every value a call into whichever collector's kind, which the JIT cannot
   * inline, and every read a check of Arrow's bounds (docs/benchmarks.md, "Parsed values in
   * arrays, and donors' writes in calls of 1 MiB").
   */
  void acceptAll(FieldVector vector, int rows, ArrowBuf validity) {
    for (int row = 0; row < rows; row++) {
      if (validity == null || BitVectorHelper.get(validity, row) != 0) {
        accept(vector, row);
      }
    }
  }

  /** Per-thread copy of a vector's values ({@link #dataCopy}); encoding runs on a few threads. */
  private static final ThreadLocal<ReusedArray> DATA = ThreadLocal.withInitial(ReusedArray::new);

  /**
   * The first {@code rows} values of {@code vector}, {@code width} bytes each, in this thread's
   * reused array (valid until this thread's next call).
   */
  static byte[] dataCopy(FieldVector vector, int rows, int width) {
    return DATA.get().copyOf(vector.getDataBuffer(), 0, Math.multiplyExact(rows, width));
  }

  abstract Object minimum();

  abstract Object maximum();

  /** Integer-like kinds: compared as signed 64-bit integers, read at the kind's width. */
  private static final class IntegerStatsCollector extends ColumnStatsCollector {
    private final ColumnType.Kind kind;
    private boolean seen;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    IntegerStatsCollector(Column column) {
      super(column);
      this.kind = column.type().kind();
    }

    @Override
    void accept(FieldVector vector, int row) {
      long value = read(vector.getDataBuffer(), row);
      seen = true;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }

    @Override
    void acceptAll(FieldVector vector, int rows, ArrowBuf validity) {
      int width = switch (kind) {
        case BIGINT, TIMESTAMP, TIMESTAMPTZ -> Long.BYTES;
        case INTEGER, DATE -> Integer.BYTES;
        default -> 0; // TIME is checked per value, the narrow kinds are rare
      };
      if (width == 0) {
        super.acceptAll(vector, rows, validity);
        return;
      }
      byte[] data = dataCopy(vector, rows, width);
      long low = min;
      long high = max;
      boolean any = seen;
      for (int row = 0; row < rows; row++) {
        if (validity != null && BitVectorHelper.get(validity, row) == 0) {
          continue;
        }
        long value = width == Long.BYTES ? (long) ByteArrayViews.LONG_LE.get(data, row * width)
            : (int) ByteArrayViews.INT_LE.get(data, row * width);
        low = Math.min(low, value);
        high = Math.max(high, value);
        any = true;
      }
      min = low;
      max = high;
      seen = any;
    }

    private long read(ArrowBuf data, int row) {
      return switch (kind) {
        case BIGINT, TIMESTAMP, TIMESTAMPTZ -> data.getLong((long) row * Long.BYTES);
        case TIME -> TimeOfDay.check(data.getLong((long) row * Long.BYTES), column().name());
        case INTEGER, DATE -> data.getInt((long) row * Integer.BYTES);
        case SMALLINT -> data.getShort((long) row * Short.BYTES);
        case TINYINT -> data.getByte(row);
        case BOOLEAN -> BitVectorHelper.get(data, row);
        case DOUBLE, REAL, DECIMAL, VARCHAR, VARBINARY, UUID -> throw new AssertionError(kind);
      };
    }

    @Override
    Object minimum() {
      return seen ? box(min) : null;
    }

    @Override
    Object maximum() {
      return seen ? box(max) : null;
    }

    private Object box(long value) {
      return switch (kind.statsCodec()) {
        case LONG -> value;
        case INT -> (int) value;
        case BOOLEAN -> value != 0;
        case DOUBLE, DECIMAL, STRING, UUID, NONE -> throw new AssertionError(kind); // forColumn
      };
    }
  }

  /** VARBINARY: null counts only; its bounds are always unknown (docs/protocol.md, 4). */
  private static final class NullCountCollector extends ColumnStatsCollector {
    NullCountCollector(Column column) {
      super(column);
    }

    @Override
    void accept(FieldVector vector, int row) {
    }

    @Override
    Object minimum() {
      return null;
    }

    @Override
    Object maximum() {
      return null;
    }
  }
}
