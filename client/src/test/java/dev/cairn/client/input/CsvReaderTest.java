package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchRows;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CSV parsing: quoting, delimiters, schemas given and inferred, NULLs and named errors. */
class CsvReaderTest {
  private final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private CsvReader reader(String csv, CsvOptions options) {
    return new CsvReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
        options, allocator);
  }

  /** Reads everything as rows of Java values. */
  private List<List<Object>> readAll(CsvReader reader) {
    List<List<Object>> rows = new ArrayList<>();
    List<VectorSchemaRoot> group;
    while ((group = reader.next(1 << 20)) != null) {
      for (VectorSchemaRoot root : group) {
        try (root) {
          rows.addAll(BatchRows.read(root));
        }
      }
    }
    return rows;
  }

  @Test
  void quotedFieldsKeepDelimitersNewlinesAndDoubledQuotes() {
    String csv = "id,text\r\n1,\"a,b\"\r\n2,\"line one\nline two\"\n3,\"say \"\"hi\"\"\"\n"
        + "4,\"\"\n5,\n";
    try (CsvReader reader = reader(csv, CsvOptions.defaults())) {
      List<List<Object>> rows = readAll(reader);
      assertEquals(5, rows.size());
      assertEquals("a,b", rows.get(0).get(1));
      assertEquals("line one\nline two", rows.get(1).get(1));
      assertEquals("say \"hi\"", rows.get(2).get(1));
      assertEquals("", rows.get(3).get(1), "a quoted empty field is the empty string");
      assertNull(rows.get(4).get(1), "an unquoted empty field is NULL");
    }
  }

  @Test
  void otherDelimiterAndBlankLinesAreSkipped() {
    String csv = "a|b\n\n1|x,y\n\n2|z\n";
    try (CsvReader reader = reader(csv, CsvOptions.defaults().withDelimiter('|'))) {
      List<List<Object>> rows = readAll(reader);
      assertEquals(List.of(List.of(1L, "x,y"), List.of(2L, "z")), rows);
    }
  }

  @Test
  void explicitSchemaCoversEveryType() {
    String schema = "b BIGINT NOT NULL, i INTEGER, d DOUBLE, m DECIMAL(15,2), dt DATE, "
        + "ts TIMESTAMP, v VARCHAR, f BOOLEAN";
    String csv = "b,i,d,m,dt,ts,v,f\n"
        + "-9000000000,42,2.5e3,1234.5,2024-02-29,2024-02-29 13:14:15.123456,héllo,TRUE\n"
        + "7,,,,,,,\n";
    try (CsvReader reader = reader(csv, CsvOptions.defaults().withSchema(schema))) {
      assertEquals(SchemaSpec.parse(schema), reader.schema());
      List<List<Object>> rows = readAll(reader);
      assertEquals(List.of(-9_000_000_000L, 42, 2500.0, new BigDecimal("1234.50"),
          LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000),
          "héllo", true), rows.get(0));
      assertEquals(7L, rows.get(1).get(0));
      for (int c = 1; c < 8; c++) {
        assertNull(rows.get(1).get(c), "column " + c + " is NULL");
      }
    }
  }

  @Test
  void typesAreInferredFromTheSample() {
    String csv = "n,x,d,t,f,s,e\n"
        + "1,1.5,2024-01-01,2024-01-01 00:00:00,true,abc,\n"
        + "2,3,2024-12-31,2024-01-01T10:00:00.5,false,12,\n"
        + ",,,,,,\n";
    try (CsvReader reader = reader(csv, CsvOptions.defaults())) {
      TableSchema schema = reader.schema();
      List<ColumnType> types = new ArrayList<>();
      schema.columns().forEach(c -> types.add(c.type()));
      assertEquals(List.of(ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.DATE,
          ColumnType.TIMESTAMP, ColumnType.BOOLEAN, ColumnType.VARCHAR, ColumnType.VARCHAR),
          types);
      List<List<Object>> rows = readAll(reader);
      assertEquals(3, rows.size(), "sampled rows are still written");
      assertEquals(3.0, rows.get(1).get(1));
      assertEquals(LocalDateTime.of(2024, 1, 1, 10, 0, 0, 500_000_000), rows.get(1).get(3));
      assertTrue(rows.get(2).stream().allMatch(v -> v == null));
    }
  }

  @Test
  void badValueNamesLineAndColumn() {
    String csv = "id,price\n1,2.50\n2,\"multi\nline\"\n3,abc\n";
    try (CsvReader reader = reader(csv, CsvOptions.defaults()
        .withSchema("id BIGINT, price DECIMAL(15,2)"))) {
      CairnException e = assertThrows(CairnException.class, () -> readAll(reader));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
      assertEquals("BAD_FORMAT: line 3, column price: 'multi\nline' is not a DECIMAL(15,2)",
          e.getMessage());
    }
    try (CsvReader reader = reader("id,price\n1,2.5\n2,1.005\n", CsvOptions.defaults()
        .withSchema("id BIGINT, price DECIMAL(15,2)"))) {
      CairnException e = assertThrows(CairnException.class, () -> readAll(reader));
      assertTrue(e.getMessage().startsWith("BAD_FORMAT: line 3, column price: '1.005'"),
          "rounding would lose a digit: " + e.getMessage());
    }
  }

  @Test
  void valueAfterTheSampleThatBreaksTheInferredTypeIsNamed() {
    String csv = "n\n1\n2\nthree\n";
    try (CsvReader reader = reader(csv, new CsvOptions(',', null, 2))) {
      assertEquals(ColumnType.BIGINT, reader.schema().column(0).type());
      CairnException e = assertThrows(CairnException.class, () -> readAll(reader));
      assertTrue(e.getMessage().startsWith("BAD_FORMAT: line 4, column n: 'three' is not a "
          + "BIGINT (type inferred from the first 2 rows"), e.getMessage());
    }
  }

  @Test
  void structuralErrorsAreNamed() {
    assertBadFormat("a,b\n1,2\n3\n", "line 3: 1 fields, expected 2");
    assertBadFormat("a,b\n1,\"open\n", "line 2: quoted field is never closed");
    assertBadFormat("a,b\n1,\"x\"y\n", "line 2: record has text after a closing quote");
    assertBadFormat("", "CSV input is empty: no header line");
    assertBadFormat("a,a\n1,2\n", "duplicate column name 'a'");
  }

  @Test
  void notNullAndHeaderMismatchAreNamed() {
    try (CsvReader reader = reader("a\n\"\"\n1\n\n,\n", CsvOptions.defaults()
        .withSchema("a INTEGER NOT NULL"))) {
      CairnException e = assertThrows(CairnException.class, () -> readAll(reader));
      assertTrue(e.getMessage().contains("line 2, column a: empty value in a NOT NULL column"),
          e.getMessage());
    }
    CairnException e = assertThrows(CairnException.class, () -> reader("x,y\n",
        CsvOptions.defaults().withSchema("y BIGINT, x BIGINT")));
    assertTrue(e.getMessage().contains("header [x, y] does not match"), e.getMessage());
  }

  @Test
  void invalidUtf8IsBadFormat() {
    byte[] bytes = {'a', '\n', (byte) 0xff, '\n'};
    CairnException e = assertThrows(CairnException.class, () -> {
      try (CsvReader reader = new CsvReader(new ByteArrayInputStream(bytes),
          CsvOptions.defaults().withSchema("a VARCHAR"), allocator)) {
        readAll(reader);
      }
    });
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }

  /** The decoder reads ahead of the tokenizer; the line must still be the bad byte's. */
  @Test
  void invalidUtf8IsReportedOnItsOwnLine() {
    for (int badLine : new int[] {2, 3, 5_000}) {
      java.io.ByteArrayOutputStream csv = new java.io.ByteArrayOutputStream();
      csv.writeBytes("a,b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (int line = 2; line < badLine; line++) {
        csv.writeBytes(("x" + line + ",\u00e9t\u00e9\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      csv.writeBytes(new byte[] {'o', 'k', ',', (byte) 0xc3, (byte) 0x28, '\n'});
      csv.writeBytes("after,row\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      CairnException e = assertThrows(CairnException.class, () -> {
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(csv.toByteArray()),
            CsvOptions.defaults().withSchema("a VARCHAR, b VARCHAR"), allocator)) {
          readAll(reader);
        }
      });
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
      assertTrue(e.getMessage().contains("line " + badLine + " "), e.getMessage());
    }
  }

  @Test
  void utf8AcrossBufferBoundariesAndSurrogatePairsDecodes() throws Exception {
    StringBuilder text = new StringBuilder("a\n");
    for (int i = 0; i < 40_000; i++) {
      text.append("\u00e9\ud83d\ude00").append(i).append('\n');
    }
    byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (Utf8LineReader reader = new Utf8LineReader(new ByteArrayInputStream(bytes))) {
      StringBuilder decoded = new StringBuilder();
      char[] one = new char[1];
      char[] many = new char[777];
      for (int step = 0; step < 10_000_000; step++) {
        int read = step % 3 == 0 ? reader.read(one, 0, 1) : reader.read(many, 0, many.length);
        if (read < 0) {
          break;
        }
        decoded.append(step % 3 == 0 ? one : many, 0, read);
      }
      assertEquals(text.toString(), decoded.toString());
    }
  }

  private void assertBadFormat(String csv, String expectedDetail) {
    CairnException e = assertThrows(CairnException.class, () -> {
      try (CsvReader reader = reader(csv, CsvOptions.defaults())) {
        readAll(reader);
      }
    });
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains(expectedDetail), e.getMessage());
  }
}
