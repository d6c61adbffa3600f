package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchEncoder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chunked reader, which parses bytes straight into vectors where it can, encodes every
 * file to the same blob bytes as the one-thread tokenizer reader, and fails with the same
 * message, whatever the values and line ends.
 */
class CsvBytesParserTest {
  private static final String SCHEMA = "i BIGINT, n INTEGER, d DOUBLE, m DECIMAL(5,2), "
      + "day DATE, s VARCHAR, b BOOLEAN, t TIMESTAMP, small SMALLINT, r REAL";
  private static final String HEADER = "i,n,d,m,day,s,b,t,small,r\n";
  /** Values the byte path reads, values it leaves to text, and shapes it gives up on. */
  private static final String[] ROWS = {
      "1,2,3.5,4.25,2024-01-01,plain,true,2024-01-01 10:00:00,5,1.5",
      "-9,+7,-0.0,-0.01,1970-01-01,caf\u00e9 \u2603 \uD83D\uDE00,F,"
          + "2024-02-29T23:59:59.123456,-5,-0",
      "  12  , 3 , 1e3 ,+1.5,2000-02-29, spaced ,yes,2024-01-01 00:00:00,0,NaN",
      ",,,,,,,,,",
      "999999999999999999,2147483647,123456789012345.5,999.99,9999-12-31,x,0,,32767,3.4e38",
      "9223372036854775807,-2147483648,Infinity,1.50,0001-01-01,\"quoted, field\",1,,,",
      "-9223372036854775808,0,.5,.5,2024-12-31,lone\rcr,n,,,",
      "7,7,7,7,2024-06-30,\"\",t,,,",
      "8,8,8,-0,2024-06-30,last,f,,,",
      "\"9\",\" 9 \",\"9.5\",\"\",\"2024-07-01\",\"say \"\"hi\"\"\",\"\",,\"\",\"2\"",
      "10,10,10,10,2024-07-02,\"two\r\nlines\nand \"\"\"\" a\rcr\",true,,,",
      "11,11,11,11,2024-07-03,\"\"\"\"\"\",true,\"2024-01-01 00:00:00\",,",
  };

  private final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private static ByteArrayInputStream bytes(String csv) {
    return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
  }

  /** Every group read, encoded as blobs (empty groups skipped). */
  private List<byte[]> blobs(TableInput input) {
    List<byte[]> blobs = new ArrayList<>();
    TableSchema schema = input.schema();
    TableInput.DeferredGroup group;
    while ((group = input.nextDeferred(1 << 20)) != null) {
      List<VectorSchemaRoot> roots = group.decode();
      try {
        for (VectorSchemaRoot root : roots) {
          blobs.add(new BatchEncoder(allocator).encode(schema, root).bytes());
        }
      } finally {
        roots.forEach(VectorSchemaRoot::close);
      }
    }
    return blobs;
  }

  private void assertSameBlobs(String csv, String schema) {
    CsvOptions options = new CsvOptions(',', schema == null ? null : SchemaSpec.parse(schema),
        100);
    List<byte[]> expected;
    try (CsvReader reader = new CsvReader(bytes(csv), options, allocator)) {
      expected = blobs(reader);
    }
    List<byte[]> actual;
    try (CsvChunkInput input = new CsvChunkInput(bytes(csv), options, allocator, 1 << 20)) {
      actual = blobs(input);
    }
    assertEquals(expected.size(), actual.size(), csv);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), csv);
    }
  }

  @Test
  void eachRowEncodesAsTheTokenizerReadsIt() {
    for (String row : ROWS) {
      assertSameBlobs(HEADER + row + "\n", SCHEMA);
      assertSameBlobs(HEADER.replace("\n", "\r\n") + row + "\r\n", SCHEMA);
      assertSameBlobs(HEADER + row, SCHEMA);
    }
    assertSameBlobs(HEADER + "\n\r\n" + String.join("\n", ROWS) + "\n\n", SCHEMA);
    assertSameBlobs(HEADER + String.join("\r\n", ROWS), null);
  }

  @Test
  void fieldsOfEveryLengthEndWhereTheTokenizerEndsThem() {
    // The byte path finds a field's end eight bytes a step: ends at every offset from a
    // word's start, LF and CRLF, ASCII and not, empty fields, a last field without a line end.
    Random random = new Random(20);
    for (int round = 0; round < 20; round++) {
      StringBuilder csv = new StringBuilder("a,b,n\n");
      for (int row = 0; row < 60; row++) {
        csv.append(word(random)).append(',').append(word(random)).append(',')
            .append(random.nextInt(3) == 0 ? "" : Long.toString(random.nextLong() >> 20))
            .append(random.nextBoolean() ? "\n" : "\r\n");
      }
      csv.append(word(random)).append(",x,").append(round);
      String schema = "a VARCHAR, b VARCHAR, n BIGINT";
      byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
      TableSchema table = SchemaSpec.parse(schema);
      try (VectorSchemaRoot root = VectorSchemaRoot.create(table.toArrow(), allocator)) {
        root.allocateNew();
        assertEquals(61, new CsvBytesParser(table, ',').parse(bytes, bytes.length, true, root),
            "the byte path itself reads every row, not the tokenizer behind it");
      }
      assertSameBlobs(csv.toString(), schema);
    }
  }

  private static String word(Random random) {
    StringBuilder word = new StringBuilder();
    int length = random.nextInt(20);
    for (int i = 0; i < length; i++) {
      word.append(random.nextInt(30) == 0 ? '\u00e9' : (char) ('a' + random.nextInt(26)));
    }
    return word.toString();
  }

  @Test
  void badRowsFailWithTheTokenizersMessage() {
    String[] bad = {
        "1,2,3,4,2024-01-01,s,true,,,,",
        "1,2,3,4,2024-01-01,s,true,,",
        "x,2,3,4,2024-01-01,s,true,,,",
        "1,2147483648,3,4,2024-01-01,s,true,,,",
        "1,2,3,1000,2024-01-01,s,true,,,",
        "1,2,3,0.001,2024-01-01,s,true,,,",
        "1,2,3,4,2024-02-30,s,true,,,",
        "1,2,3,4,2024-1-01,s,true,,,",
        "1,2,3,4,2024-01-01,s,maybe,,,",
        "1, ,3,4,2024-01-01,s,true,,,",
        "1,2,3\u00e9,4,2024-01-01,s,true,,,",
        "1,2,3,4,2024-01-01,s,true,,40000,",
        "1,2,3,4,2024-01-01,\"open,true,,,",
        "1,2,3,4,2024-01-01,\"closed\"text,true,,,",
        "1,2,\"x\",4,2024-01-01,s,true,,,",
    };
    for (String row : bad) {
      String csv = HEADER + "1,2,3,4,2024-01-01,s,true,,,\n" + row + "\n";
      CsvOptions options = new CsvOptions(',', SchemaSpec.parse(SCHEMA), 100);
      String expected = assertThrows(CairnException.class, () -> {
        try (CsvReader reader = new CsvReader(bytes(csv), options, allocator)) {
          blobs(reader);
        }
      }, row).getMessage();
      String actual = assertThrows(CairnException.class, () -> {
        try (CsvChunkInput input = new CsvChunkInput(bytes(csv), options, allocator, 1 << 20)) {
          blobs(input);
        }
      }, row).getMessage();
      assertEquals(expected, actual, row);
    }
  }

  @Test
  void notNullColumnsRefuseBlanksAsTheTokenizerDoes() {
    String schema = "a BIGINT NOT NULL, s VARCHAR NOT NULL";
    assertSameBlobs("a,s\n1,x\n2,\"\"\n", schema);
    String csv = "a,s\n1,x\n2,\n";
    CsvOptions options = new CsvOptions(',', SchemaSpec.parse(schema), 100);
    CairnException e = assertThrows(CairnException.class, () -> {
      try (CsvChunkInput input = new CsvChunkInput(bytes(csv), options, allocator, 1 << 20)) {
        blobs(input);
      }
    });
    assertEquals("BAD_FORMAT: line 3, column s: empty value in a NOT NULL column",
        e.getMessage());
  }

  @Test
  void nullsAnywhereInChunksOfAnySizeEncodeAsTheTokenizerReadsThem() {
    // Parsed validity starts all set and a NULL clears its bit, in arrays reused from chunk
    // to chunk: NULLs at every position, chunks of row counts that are not multiples of
    // eight, and chunks without NULLs after chunks with them must each encode as the
    // tokenizer reads the same rows alone (bits past the last row zero, as canonical
    // batches require).
    Random random = new Random(22);
    String header = "i,m,day,s\n";
    String schema = "i BIGINT, m DECIMAL(5,2), day DATE, s VARCHAR";
    CsvOptions options = new CsvOptions(',', SchemaSpec.parse(schema), 100);
    for (int round = 0; round < 8; round++) {
      List<String> lines = new ArrayList<>();
      int nullEvery = round == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(9);
      for (int row = 50 + random.nextInt(400); row > 0; row--) {
        boolean nulls = random.nextInt(nullEvery) == 0;
        lines.add((nulls && random.nextBoolean() ? "" : Integer.toString(row)) + ","
            + (nulls && random.nextBoolean() ? "" : Double.toString((row % 1000) / 100.0)) + ","
            + (nulls && random.nextBoolean() ? "" : "2024-03-1" + (row % 10)) + ","
            + (nulls && random.nextBoolean() ? "" : word(random)));
      }
      String csv = header + String.join("\n", lines) + "\n";
      int chunkBytes = 64 + random.nextInt(2000);
      int at = 0;
      try (CsvChunkInput input = new CsvChunkInput(bytes(csv), options, allocator, chunkBytes)) {
        TableInput.DeferredGroup group;
        while ((group = input.nextDeferred(chunkBytes)) != null) {
          List<VectorSchemaRoot> roots = group.decode();
          try {
            for (VectorSchemaRoot root : roots) {
              int rows = root.getRowCount();
              byte[] parsed = new BatchEncoder(allocator).encode(input.schema(), root).bytes();
              String alone = header + String.join("\n", lines.subList(at, at + rows)) + "\n";
              try (CsvReader reader = new CsvReader(bytes(alone), options, allocator)) {
                assertArrayEquals(blobs(reader).get(0), parsed,
                    "round " + round + ", rows from " + at);
              }
              at += rows;
            }
          } finally {
            roots.forEach(VectorSchemaRoot::close);
          }
        }
      }
      assertEquals(lines.size(), at, "every row read, in chunks of about " + chunkBytes);
    }
  }

  @Test
  void oneParserReadsManyChunksWithNothingLeftOverFromTheLast() {
    // The parser keeps each chunk's values in arrays it reuses: a chunk that outgrows them,
    // then chunks of NULLs and of values only the text path reads must encode as if alone.
    Random random = new Random(21);
    StringBuilder full = new StringBuilder(HEADER);
    for (int row = 0; row < 3000; row++) {
      full.append(random.nextLong() >> 1).append(',').append(random.nextInt()).append(',')
          .append(random.nextInt(100_000) / 8.0).append(',').append(random.nextInt(99_999) / 100.0)
          .append(",2024-0").append(1 + random.nextInt(9)).append("-1").append(random.nextInt(9))
          .append(',').append(word(random)).append(",true,,,\n");
    }
    String[] chunks = {full.toString(), HEADER + ",,,,,,,,,\n,,,,,,,,,\n" + ROWS[0] + "\n",
        HEADER + ROWS[2] + "\n" + ROWS[3] + "\n" + ROWS[4] + "\n", full.toString()};
    TableSchema schema = SchemaSpec.parse(SCHEMA);
    CsvBytesParser parser = new CsvBytesParser(schema, ',');
    for (String chunk : chunks) {
      byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
      byte[] parsed;
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator)) {
        root.allocateNew();
        int rows = parser.parse(bytes, bytes.length, true, root);
        assertEquals(chunk.split("\n").length - 1, rows, "the byte path reads every row");
        root.setRowCount(rows);
        parsed = new BatchEncoder(allocator).encode(schema, root).bytes();
      }
      List<byte[]> expected;
      try (CsvReader reader = new CsvReader(bytes(chunk), new CsvOptions(',', schema, 100),
          allocator)) {
        expected = blobs(reader);
      }
      assertEquals(1, expected.size());
      assertArrayEquals(expected.get(0), parsed,
          chunk.substring(0, Math.min(200, chunk.length())));
    }
  }

  @Test
  void rowsAreReadFromBytesAndLoneCarriageReturnsLeftToTheTokenizer() {
    CsvBytesParser parser = new CsvBytesParser(SchemaSpec.parse(SCHEMA), ',');
    TableSchema schema = SchemaSpec.parse(SCHEMA);
    String[][] cases = {{HEADER + ROWS[0] + "\r\n" + ROWS[1] + "\n" + ROWS[4], "3"},
        {HEADER + ROWS[0] + "\n" + ROWS[5] + "\n" + ROWS[9] + "\n" + ROWS[10], "4"},
        {HEADER + ROWS[0] + "\n" + ROWS[6] + "\n", "-1"}, {HEADER, "0"}, {"\n\n", "0"}};
    for (String[] c : cases) {
      byte[] bytes = c[0].getBytes(StandardCharsets.UTF_8);
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator)) {
        root.allocateNew();
        assertEquals(Integer.parseInt(c[1]), parser.parse(bytes, bytes.length, true, root), c[0]);
      }
    }
  }
}
