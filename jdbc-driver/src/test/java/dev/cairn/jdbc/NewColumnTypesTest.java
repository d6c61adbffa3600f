package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: each column type added for issue 20 (TIMESTAMPTZ, SMALLINT, TINYINT, REAL, TIME,
 * VARBINARY) round-trips from an Arrow IPC file and from CSV with --schema through a real
 * cluster and jdbc:cairn, equal to what DuckDB reads from the same data; JDBC getters and
 * metadata report the types; filters on them prune batches and still answer as DuckDB does.
 */
class NewColumnTypesTest {
  private static final int ROWS = 600;
  private static final int ROWS_PER_ARROW_BATCH = 100;
  private static final long SMALL_BATCH_BYTES = PublishRequest.BATCH_TARGET_BYTES_MIN;
  private static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
  private static final String SCHEMA = "id INTEGER NOT NULL, tz TIMESTAMPTZ, s SMALLINT, "
      + "t TINYINT, r REAL, tm TIME, b BLOB, flag BOOLEAN";
  private static final String DUCKDB_COLUMNS = "{'id': 'INTEGER', 'tz': 'TIMESTAMPTZ', "
      + "'s': 'SMALLINT', 't': 'TINYINT', 'r': 'REAL', 'tm': 'TIME', 'b': 'BLOB', "
      + "'flag': 'BOOLEAN'}";
  /** Filters on each new type, for both engines; each is also a pruning case. */
  private static final List<String> FILTERS = List.of(
      "s between -100 and 100", "t = 5", "t < -120", "r < -2.5", "r = 0.5", "r > 50",
      "tz >= TIMESTAMP '2024-03-20 00:00:00'", "tm < TIME '00:30:00'",
      "b = X'01005C61FF2C'",
      "flag", "s > 14000 and tz < TIMESTAMP '2024-03-25 00:00:00'");

  private static final DateTimeFormatter ZONED_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
  private static final DateTimeFormatter TIME_TEXT = DateTimeFormatter.ofPattern(
      "HH:mm:ss.SSSSSS");

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Connection duckdb;
  static BufferAllocator allocator;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir.resolve("cluster"), 3);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    allocator = new RootAllocator();
    Path arrow = writeArrowFile(dir.resolve("types.arrow"));
    publish("arrowtypes", arrow, null);
    loadArrowIntoDuckDb("arrowtypes", arrow);
    Path csv = dir.resolve("types.csv");
    Files.writeString(csv, csv());
    publish("csvtypes", csv, SCHEMA);
    try (Statement s = duckdb.createStatement()) {
      s.execute("CREATE TABLE csvtypes AS SELECT * FROM read_csv('" + csv
          + "', header = true, columns = " + DUCKDB_COLUMNS + ")");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    duckdb.close();
    cluster.close();
    allocator.close();
  }

  @Test
  void arrowInputReadsAsDuckDbReadsIt() throws Exception {
    assertSameRows("select * from arrowtypes order by id");
  }

  @Test
  void csvInputReadsAsDuckDbReadsIt() throws Exception {
    assertSameRows("select * from csvtypes order by id");
    assertSameRows("select * from csvtypes except select * from arrowtypes");
  }

  @Test
  void filtersOnEveryNewTypePruneAndAnswerAsDuckDb() throws Exception {
    List<String> queries = FILTERS.stream().map(filter -> "select id, tz, s, t, r, tm, b, "
        + "flag from arrowtypes where " + filter + " order by id").toList();
    try (Connection c = connect()) {
      assertEquals(List.of(), SqlRows.answerAsDuckDbAndListUnpruned(c, duckdb, queries,
          NewColumnTypesTest::comparable), "filters that pruned no batch");
    }
  }

  @Test
  void gettersReadTheNewTypes() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select * from arrowtypes where id = 1")) {
      assertTrue(rs.next());
      Instant tz = START.plusSeconds(3600).plusNanos(1_000);
      assertEquals(tz, rs.getObject("tz", Instant.class));
      assertEquals(tz.atOffset(ZoneOffset.UTC).toInstant(),
          rs.getObject("tz", OffsetDateTime.class).toInstant());
      assertEquals(tz, rs.getTimestamp("tz").toInstant());
      assertEquals((short) -14950, rs.getShort("s"));
      assertEquals((byte) -127, rs.getByte("t"));
      assertEquals(-3.4f, rs.getFloat("r"));
      assertEquals(LocalTime.ofNanoOfDay(timeMicros(1) * 1_000), rs.getObject("tm",
          LocalTime.class));
      assertArrayEquals(blob(1), rs.getBytes("b"));
      assertTrue(rs.getBoolean("flag"));
      ResultSetMetaData md = rs.getMetaData();
      assertEquals(List.of(Types.INTEGER, Types.TIMESTAMP_WITH_TIMEZONE, Types.SMALLINT,
          Types.TINYINT, Types.REAL, Types.TIME, Types.BLOB, Types.BOOLEAN), types(md));
      assertEquals("REAL", md.getColumnTypeName(5), "as getColumns names it, not DuckDB's FLOAT");
    }
  }

  @Test
  void databaseMetaDataDescribesTheNewTypes() throws Exception {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      List<List<Object>> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "alice", "csvtypes", null)) {
        while (rs.next()) {
          columns.add(List.of(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
              rs.getString("TYPE_NAME")));
        }
      }
      assertEquals(List.of(List.of("id", Types.INTEGER, "INTEGER"),
          List.of("tz", Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMP WITH TIME ZONE"),
          List.of("s", Types.SMALLINT, "SMALLINT"), List.of("t", Types.TINYINT, "TINYINT"),
          List.of("r", Types.REAL, "REAL"), List.of("tm", Types.TIME, "TIME"),
          List.of("b", Types.VARBINARY, "VARBINARY"),
          List.of("flag", Types.BOOLEAN, "BOOLEAN")), columns);
      Set<String> typeNames = new HashSet<>();
      try (ResultSet rs = md.getTypeInfo()) {
        while (rs.next()) {
          typeNames.add(rs.getString("TYPE_NAME"));
        }
      }
      assertTrue(typeNames.containsAll(List.of("TIMESTAMP WITH TIME ZONE", "SMALLINT",
          "TINYINT", "REAL", "TIME", "VARBINARY")), typeNames.toString());
    }
  }

  private static List<Integer> types(ResultSetMetaData md) throws SQLException {
    List<Integer> types = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      types.add(md.getColumnType(i));
    }
    return types;
  }

  private static void assertSameRows(String sql) throws SQLException {
    try (Connection c = connect()) {
      List<List<Object>> expected = rows(duckdb, sql);
      assertEquals(expected, rows(c, sql), sql);
    }
  }

  /** Rows as comparable values: blobs as hex, everything else as the driver returns it. */
  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    return SqlRows.rows(c, sql, NewColumnTypesTest::comparable);
  }

  private static Object comparable(Object v) {
    try {
      if (v instanceof java.sql.Blob blob) {
        return HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return v instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : v;
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(cluster.url());
  }

  private static PublishResult publish(String table, Path file, String schema) {
    PublishResult result = cluster.publishFile(table, file, schema, SMALL_BATCH_BYTES);
    assertTrue(result.batches() >= 4, "several batches: " + result.batches());
    return result;
  }

  // The data: row i of each column, with NULLs at different strides.

  private static Instant instant(int i) {
    return START.plusSeconds(3600L * i).plusNanos(1_000L * i);
  }

  private static short smallint(int i) {
    return (short) (i * 50 - 15_000);
  }

  private static byte tinyint(int i) {
    return (byte) (i % 256 - 128);
  }

  private static float real(int i) {
    return i * 0.1f - 3.5f;
  }

  private static long timeMicros(int i) {
    return (i * 137_000_123L) % 86_400_000_000L;
  }

  private static byte[] blob(int i) {
    return new byte[] {(byte) i, 0, '\\', 'a', (byte) 0xff, ','};
  }

  private static boolean isNull(int i, int stride) {
    return i % stride == stride - 1;
  }

  private static Path writeArrowFile(Path file) throws Exception {
    Schema schema = new Schema(List.of(
        field("id", new ArrowType.Int(32, true), false),
        // Any zone: the values are instants, stored as UTC.
        field("tz", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "Europe/Paris"), true),
        field("s", new ArrowType.Int(16, true), true),
        field("t", new ArrowType.Int(8, true), true),
        field("r", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), true),
        field("tm", new ArrowType.Time(TimeUnit.MICROSECOND, 64), true),
        field("b", ArrowType.Binary.INSTANCE, true),
        field("flag", ArrowType.Bool.INSTANCE, true)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
      writer.start();
      for (int from = 0; from < ROWS; from += ROWS_PER_ARROW_BATCH) {
        root.allocateNew();
        for (int row = 0; row < ROWS_PER_ARROW_BATCH; row++) {
          setArrowRow(root, row, from + row);
        }
        root.setRowCount(ROWS_PER_ARROW_BATCH);
        writer.writeBatch();
      }
      writer.end();
    }
    return file;
  }

  private static void setArrowRow(VectorSchemaRoot root, int row, int i) {
    ((IntVector) root.getVector("id")).setSafe(row, i);
    TimeStampMicroTZVector tz = (TimeStampMicroTZVector) root.getVector("tz");
    if (isNull(i, 7)) {
      tz.setNull(row);
    } else {
      Instant at = instant(i);
      tz.setSafe(row, at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000);
    }
    SmallIntVector s = (SmallIntVector) root.getVector("s");
    if (isNull(i, 11)) {
      s.setNull(row);
    } else {
      s.setSafe(row, smallint(i));
    }
    ((TinyIntVector) root.getVector("t")).setSafe(row, tinyint(i));
    ((Float4Vector) root.getVector("r")).setSafe(row, real(i));
    ((TimeMicroVector) root.getVector("tm")).setSafe(row, timeMicros(i));
    VarBinaryVector b = (VarBinaryVector) root.getVector("b");
    if (isNull(i, 13) || (i >= 200 && i < 300)) {
      b.setNull(row); // a run of NULL blobs, so that "b is null" has batches to keep and skip
    } else {
      b.setSafe(row, blob(i));
    }
    ((BitVector) root.getVector("flag")).setSafe(row, i % 150 < 20 ? 1 : 0);
  }

  private static Field field(String name, ArrowType type, boolean nullable) {
    return new Field(name, new FieldType(nullable, type, null), null);
  }

  private static void loadArrowIntoDuckDb(String table, Path file) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(channel, allocator);
        ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, reader, stream);
      duckdb.unwrap(DuckDBConnection.class).registerArrowStream("arrow_input", stream);
      try (Statement s = duckdb.createStatement()) {
        s.execute("CREATE TABLE " + table + " AS SELECT * FROM arrow_input");
      }
    }
  }

  /** The same rows as CSV text, in the forms both Cairn and DuckDB read. */
  private static String csv() {
    String[] trues = {"true", "T", "yes", "Y", "1"};
    String[] falses = {"FALSE", "f", "No", "n", "0"};
    StringBuilder out = new StringBuilder("id,tz,s,t,r,tm,b,flag\n");
    for (int i = 0; i < ROWS; i++) {
      int offsetHours = i % 5 - 2;
      String tz = isNull(i, 7) ? "" : ZONED_TEXT.format(instant(i)
          .atOffset(ZoneOffset.ofHours(offsetHours)));
      String s = isNull(i, 11) ? "" : Short.toString(smallint(i));
      boolean nullBlob = isNull(i, 13) || (i >= 200 && i < 300);
      String b = nullBlob ? "" : "\"" + blobText(blob(i)) + "\"";
      String flag = i % 150 < 20 ? trues[i % 5] : falses[i % 5];
      out.append(i).append(',').append(tz).append(',').append(s).append(',')
          .append(tinyint(i)).append(',').append(real(i)).append(',')
          .append(TIME_TEXT.format(LocalTime.ofNanoOfDay(timeMicros(i) * 1_000)))
          .append(',').append(b)
          .append(',').append(flag).append('\n');
    }
    return out.toString();
  }

  /** DuckDB's BLOB text: printable ASCII as itself except backslash, else \xHH. */
  private static String blobText(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte value : bytes) {
      int unsigned = value & 0xff;
      if (unsigned >= ' ' && unsigned <= '~' && unsigned != '\\' && unsigned != '"') {
        text.append((char) unsigned);
      } else {
        text.append(String.format("\\x%02X", unsigned));
      }
    }
    return text.toString();
  }

}
