package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer gives the same records whether a field lies inside its buffer (taken whole) or
 * runs past the buffered text (read character by character): every reader chunking, every
 * kind of field, and the same line numbers and record bound either way.
 */
class CsvTokenizerTest {
  /** A reader that hands out at most {@code step} characters per read. */
  private static final class Trickle extends Reader {
    private final String text;
    private final int step;
    private int at;

    Trickle(String text, int step) {
      this.text = text;
      this.step = step;
    }

    @Override
    public int read(char[] into, int offset, int length) {
      if (at == text.length()) {
        return -1;
      }
      int n = Math.min(Math.min(length, step), text.length() - at);
      text.getChars(at, at + n, into, offset);
      at += n;
      return n;
    }

    @Override
    public void close() {}
  }

  private static List<List<String>> tokenize(Reader reader) throws IOException {
    CsvTokenizer tokenizer = new CsvTokenizer(reader, ',');
    List<List<String>> records = new ArrayList<>();
    List<String> record;
    while ((record = tokenizer.next()) != null) {
      records.add(record);
    }
    return records;
  }

  @Test
  void everyReadSizeGivesTheSameRecords() throws IOException {
    String text = "a,b,,\"q,1\"\n"
        + "x\ry,\"\",long" + "z".repeat(70_000) + ",end\r\n"
        + "\n"
        + "\"multi\nline\",\"say \"\"hi\"\"\",7\n"
        + ",,\n"
        + "last,row";
    List<List<String>> expected = List.of(
        Arrays.asList("a", "b", null, "q,1"),
        Arrays.asList("x\ry", "", "long" + "z".repeat(70_000), "end"),
        Arrays.asList("multi\nline", "say \"hi\"", "7"),
        Arrays.asList(null, null, null),
        Arrays.asList("last", "row"));
    for (int step : new int[] {1, 2, 3, 5, 17, 4096, 65_536, Integer.MAX_VALUE}) {
      assertEquals(expected, tokenize(new Trickle(text, step)), "read size " + step);
    }
  }

  @Test
  void randomRecordsRoundTripWhateverTheReadSize() throws IOException {
    Random random = new Random(20);
    List<List<String>> expected = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    String[] pieces = {"", "1", "abc", "1995-03-13", "0.04", "x\ry", "it's 5\" tall"};
    for (int row = 0; row < 3000; row++) {
      List<String> fields = new ArrayList<>();
      for (int column = 0; column < 1 + random.nextInt(6); column++) {
        String piece = pieces[random.nextInt(pieces.length)];
        boolean quoted = random.nextInt(8) == 0;
        if (column > 0) {
          text.append(',');
        }
        if (quoted) {
          text.append('"').append(piece.replace("\"", "\"\"")).append('"');
          fields.add(piece);
        } else {
          text.append(piece);
          fields.add(piece.isEmpty() ? null : piece);
        }
      }
      if (fields.size() == 1 && fields.get(0) == null) {
        continue; // an empty line is blank, not a record of one NULL
      }
      text.append(random.nextBoolean() ? "\n" : "\r\n");
      expected.add(fields);
    }
    for (int step : new int[] {1, 7, 1000, Integer.MAX_VALUE}) {
      assertEquals(expected, tokenize(new Trickle(text.toString(), step)), "read size " + step);
    }
  }

  @Test
  void linesAndTheRecordBoundAreTheSameOnBothPaths() throws IOException {
    for (int step : new int[] {1, Integer.MAX_VALUE}) {
      CsvTokenizer tokenizer = new CsvTokenizer(new Trickle("a,b\n\nc,\"d\ne\"\nf\n", step),
          ',', 10);
      tokenizer.next();
      assertEquals(10, tokenizer.recordLine());
      tokenizer.next();
      assertEquals(12, tokenizer.recordLine());
      tokenizer.next();
      assertEquals(14, tokenizer.recordLine());
      assertEquals(15, tokenizer.line());
    }
    String tooLong = "x".repeat(CsvTokenizer.RECORD_CHARS_MAX + 1);
    CairnException failure = assertThrows(CairnException.class,
        () -> tokenize(new StringReader(tooLong + "\n")));
    assertEquals(ErrorCode.BAD_FORMAT, failure.code());
    assertTrue(failure.getMessage().contains("is longer than"), failure.getMessage());
  }
}
