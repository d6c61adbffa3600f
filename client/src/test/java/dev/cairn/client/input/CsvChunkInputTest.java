package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.batch.BatchRows;
import dev.cairn.wire.batch.ParsedRoot;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Parsing in chunks cut at record boundaries gives exactly what the one-thread reader gives,
 * whatever the chunk size: rows, inferred schema, and the line of every error.
 */
class CsvChunkInputTest {
  /** Quoted delimiters, line feeds and doubled quotes, CRLF, blank lines, a BOM, stray quotes. */
  private static final String TRICKY = "\uFEFFid,text,day\r\n"
      + "1,\"a,b\",2024-01-01\r\n"
      + "2,\"line one\nline two\",2024-01-02\n"
      + "\n"
      + "3,\"say \"\"hi\"\"\",\n"
      + "4,\"\",2024-01-04\n"
      + "5,it's 5\" tall,2024-01-05\n"
      + "6,\"x\ny\nz\",2024-01-06\n"
      + "7,,2024-01-07";

  private final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private static ByteArrayInputStream bytes(String csv) {
    return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads everything, a group at a time, as rows of Java values. */
  private static List<List<Object>> readAll(TableInput input) {
    List<List<Object>> rows = new ArrayList<>();
    TableInput.DeferredGroup group;
    while ((group = input.nextDeferred(1 << 20)) != null) {
      for (VectorSchemaRoot root : group.decode()) {
        try (root) {
          rows.addAll(BatchRows.read(root));
        }
      }
    }
    return rows;
  }

  @Test
  void everyChunkSizeReadsWhatTheOneThreadReaderReads() {
    List<List<Object>> expected;
    String schema;
    try (CsvReader reader = new CsvReader(bytes(TRICKY), CsvOptions.defaults(), allocator)) {
      schema = reader.schema().toString();
      expected = readAll(reader);
    }
    assertEquals(7, expected.size());
    for (int chunkBytes = 1; chunkBytes <= TRICKY.length() + 1; chunkBytes++) {
      try (CsvChunkInput input = new CsvChunkInput(bytes(TRICKY), CsvOptions.defaults(),
          allocator, chunkBytes)) {
        assertEquals(schema, input.schema().toString(), "chunks of " + chunkBytes);
        assertEquals(expected, readAll(input), "chunks of " + chunkBytes);
      }
    }
  }

  @Test
  void chunksHeldWhileLaterOnesAreCutKeepTheirOwnBytes() {
    // A decoded chunk's array goes back to the chunker for a later chunk: chunks cut but not
    // yet decoded (a publish keeps several in flight) must never share one.
    // Chunks of 3 MiB fill most of their arrays, so the chunker hands the arrays over.
    StringBuilder csv = new StringBuilder("id,text\n");
    String filler = "x".repeat(80);
    for (int row = 0; row < 160_000; row++) {
      csv.append(row).append(",row ").append(row).append(' ').append(filler).append('\n');
    }
    List<List<Object>> expected;
    try (CsvReader reader = new CsvReader(bytes(csv.toString()), CsvOptions.defaults(),
        allocator)) {
      expected = readAll(reader);
    }
    assertEquals(160_000, expected.size());
    try (CsvChunkInput input = new CsvChunkInput(bytes(csv.toString()), CsvOptions.defaults(),
        allocator, 3 << 20)) {
      List<List<Object>> actual = new ArrayList<>();
      List<TableInput.DeferredGroup> held = new ArrayList<>();
      TableInput.DeferredGroup group;
      do {
        group = input.nextDeferred(1 << 20);
        if (group != null) {
          held.add(group);
        }
        if (held.size() == 3 || (group == null && !held.isEmpty())) {
          // The newest first, so the older ones are decoded after later cuts reused arrays.
          List<List<List<Object>>> rowsOfHeld = new ArrayList<>();
          for (int i = held.size() - 1; i >= 0; i--) {
            rowsOfHeld.add(0, rows(held.get(i)));
          }
          rowsOfHeld.forEach(actual::addAll);
          held.clear();
        }
      } while (group != null);
      assertEquals(expected.size(), actual.size());
      for (int row = 0; row < expected.size(); row++) {
        assertEquals(expected.get(row), actual.get(row), "row " + row); // not 160,000 at once
      }
    }
  }

  private static List<List<Object>> rows(TableInput.DeferredGroup group) {
    List<List<Object>> rows = new ArrayList<>();
    for (VectorSchemaRoot root : group.decode()) {
      try (root) {
        rows.addAll(BatchRows.read(root));
      }
    }
    return rows;
  }

  @Test
  void errorsNameTheFileLineWhateverChunkTheyAreIn() {
    String csv = "id,price\n1,2.5\n2,\"3\n\"\n3,abc\n";
    String expected = message(options -> new CsvReader(bytes(csv), options, allocator));
    assertEquals("BAD_FORMAT: line 5, column price: 'abc' is not a DOUBLE (type inferred from "
        + "the first 2 rows; give an explicit schema to change it)", expected);
    for (int chunkBytes = 1; chunkBytes <= csv.length(); chunkBytes++) {
      int size = chunkBytes;
      assertEquals(expected, message(options -> new CsvChunkInput(bytes(csv), options,
          allocator, size)), "chunks of " + chunkBytes);
    }
    byte[] badUtf8 = "a\n1\n2\n\u00e9\n".getBytes(StandardCharsets.UTF_8);
    badUtf8[badUtf8.length - 2] = (byte) 0xff;
    for (int chunkBytes = 1; chunkBytes <= badUtf8.length; chunkBytes++) {
      int size = chunkBytes;
      CairnException e = assertThrows(CairnException.class, () -> {
        try (CsvChunkInput input = new CsvChunkInput(new ByteArrayInputStream(badUtf8),
            new CsvOptions(',', SchemaSpec.parse("a VARCHAR"), 1), allocator, size)) {
          readAll(input);
        }
      });
      assertEquals("BAD_FORMAT: input is not UTF-8: line 4 has a byte sequence that is not "
          + "valid UTF-8", e.getMessage(), "chunks of " + chunkBytes);
    }
  }

  /** Opens with two sample rows and reads everything; returns the failure's message. */
  private static String message(Function<CsvOptions, TableInput> open) {
    CsvOptions options = new CsvOptions(',', null, 2);
    CairnException e = assertThrows(CairnException.class, () -> {
      try (TableInput input = open.apply(options)) {
        readAll(input);
      }
    });
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    return e.getMessage();
  }

  /**
   * Only chunks the byte parser read, which checked every VARCHAR byte, come as {@link
   * ParsedRoot}s (the encoder skips its own UTF-8 check for them); a chunk it gave up on (a
   * lone CR) comes from the tokenizer as a plain root, checked in full.
   */
  @Test
  void onlyByteParsedChunksComeAsParsedRoots() {
    String csv = "id,s\n1,caf\u00e9\n2,\"a,b\"\n3,lone\rcr\n4,x\n";
    CsvOptions options = new CsvOptions(',', SchemaSpec.parse("id BIGINT, s VARCHAR"), 100);
    List<Boolean> parsed = new ArrayList<>();
    List<List<Object>> rows = new ArrayList<>();
    try (CsvChunkInput input = new CsvChunkInput(bytes(csv), options, allocator, 1)) {
      TableInput.DeferredGroup group;
      while ((group = input.nextDeferred(1)) != null) {
        for (VectorSchemaRoot root : group.decode()) {
          try (root) {
            parsed.add(root instanceof ParsedRoot);
            rows.addAll(BatchRows.read(root));
          }
        }
      }
    }
    assertEquals(List.of(true, true, false, true), parsed);
    assertEquals(List.of(List.of(1L, "caf\u00e9"), List.of(2L, "a,b"), List.of(3L, "lone\rcr"),
        List.of(4L, "x")), rows);
  }
}
