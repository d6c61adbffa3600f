package dev.cairn.wire.bench;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.batch.EncodedBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode speed of one batch blob of about 8 MiB of Arrow buffers, shaped like TPC-H
 * lineitem (BIGINT keys, DECIMAL(15,2) money, DATE, short VARCHAR flags). {@code LZ4_FRAME} is
 * the real blob path (canonical copy, statistics, compression); {@code NONE} is a baseline: a
 * plain Arrow IPC stream written by ArrowStreamWriter without compression, decoded by the same
 * BatchDecoder. Divide the batch's uncompressed MiB (printed at setup) by the time per op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BatchCodecBenchmark {
  private static final int ROWS = 110_000;
  private static final String[] SHIP_MODES = {"AIR", "MAIL", "RAIL", "SHIP", "TRUCK", "FOB"};

  static final TableSchema LINEITEM = new TableSchema(List.of(
      new Column("l_orderkey", ColumnType.BIGINT, false),
      new Column("l_partkey", ColumnType.BIGINT, false),
      new Column("l_suppkey", ColumnType.BIGINT, false),
      new Column("l_quantity", ColumnType.decimal(15, 2), false),
      new Column("l_extendedprice", ColumnType.decimal(15, 2), false),
      new Column("l_shipdate", ColumnType.DATE, false),
      new Column("l_returnflag", ColumnType.VARCHAR, false),
      new Column("l_shipmode", ColumnType.VARCHAR, false)));

  @Param({"LZ4_FRAME", "NONE"})
  public String codec;

  private BufferAllocator allocator;
  private VectorSchemaRoot root;
  private BatchEncoder encoder;
  private byte[] blob;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    allocator = new RootAllocator();
    root = lineitem(allocator);
    encoder = new BatchEncoder(allocator);
    EncodedBatch encoded = encoder.encode(LINEITEM, root);
    blob = "NONE".equals(codec) ? encodeUncompressed() : encoded.bytes();
    System.out.printf("%n[batch] codec=%s rows=%d uncompressed=%d bytes (%.2f MiB) blob=%d bytes"
        + " ratio=%.2f%n", codec, ROWS, encoded.uncompressedBytes(),
        encoded.uncompressedBytes() / 1048576.0, blob.length,
        (double) encoded.uncompressedBytes() / blob.length);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    root.close();
    allocator.close();
  }

  @Benchmark
  public Object encode() throws IOException {
    return "NONE".equals(codec) ? encodeUncompressed() : encoder.encode(LINEITEM, root);
  }

  @Benchmark
  public long decode() {
    try (DecodedBatch decoded = BatchDecoder.decode(blob, LINEITEM, allocator)) {
      return decoded.rowCount();
    }
  }

  private byte[] encodeUncompressed() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
      writer.start();
      writer.writeBatch();
      writer.end();
    }
    return out.toByteArray();
  }

  static VectorSchemaRoot lineitem(BufferAllocator allocator) {
    Random random = new Random(1);
    VectorSchemaRoot root = VectorSchemaRoot.create(LINEITEM.toArrow(), allocator);
    root.allocateNew();
    for (int row = 0; row < ROWS; row++) {
      ((BigIntVector) root.getVector(0)).setSafe(row, 1 + row / 4);
      ((BigIntVector) root.getVector(1)).setSafe(row, 1 + random.nextInt(200_000));
      ((BigIntVector) root.getVector(2)).setSafe(row, 1 + random.nextInt(10_000));
      int quantity = 1 + random.nextInt(50);
      ((DecimalVector) root.getVector(3)).setSafe(row, BigDecimal.valueOf(quantity * 100L, 2));
      long price = quantity * (90_000L + random.nextInt(2_000_000));
      ((DecimalVector) root.getVector(4)).setSafe(row, BigDecimal.valueOf(price, 2));
      ((DateDayVector) root.getVector(5)).setSafe(row, 8036 + random.nextInt(2526));
      String flag = random.nextBoolean() ? "N" : random.nextBoolean() ? "A" : "R";
      ((VarCharVector) root.getVector(6)).setSafe(row, flag.getBytes(StandardCharsets.UTF_8));
      String mode = SHIP_MODES[random.nextInt(SHIP_MODES.length)];
      ((VarCharVector) root.getVector(7)).setSafe(row, mode.getBytes(StandardCharsets.UTF_8));
    }
    root.setRowCount(ROWS);
    return root;
  }
}
