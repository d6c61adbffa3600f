package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CsvChunker} cuts where a plain one-byte-at-a-time walk of the tokenizer's quote rules
 * cuts, for random text made of the bytes that matter (quotes, delimiters, CR, LF), any target
 * size and any read size.
 */
class CsvChunkerTest {
  private static final byte[] ALPHABET = {'a', 'b', ',', '"', '"', '\n', '\r', ';'};

  @Test
  void cutsWhereTheByteByByteWalkCuts() throws IOException {
    assertCutsLikeTheWalk(ALPHABET, 400, 120, 9, new Random(20));
  }

  /**
   * Mostly letters, so that runs of eight bytes without a quote (which the chunker skips a
   * word at a time) are common, inside quotes and out, and end at every offset.
   */
  @Test
  void cutsWhereTheWalkCutsInTextWithRareQuotes() throws IOException {
    byte[] sparse = new byte[40];
    Arrays.fill(sparse, (byte) 'x');
    byte[] special = {',', '"', '\n', '\r', ';', (byte) 0xC3, '\n', ','};
    System.arraycopy(special, 0, sparse, 0, special.length);
    assertCutsLikeTheWalk(sparse, 80, 300, 64, new Random(21));
  }

  private static void assertCutsLikeTheWalk(byte[] alphabet, int texts, int lengthMax,
      int readBytesMax, Random random) throws IOException {
    for (int text = 0; text < texts; text++) {
      byte[] bytes = new byte[random.nextInt(lengthMax)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      char delimiter = random.nextBoolean() ? ',' : ';';
      for (int target = 1; target <= bytes.length + 1; target++) {
        int readBytes = 1 + random.nextInt(readBytesMax);
        List<String> expected = referenceCuts(bytes, delimiter, target);
        List<String> actual = new ArrayList<>();
        CsvChunker chunker = new CsvChunker(trickle(bytes, readBytes), delimiter);
        for (CsvChunker.Chunk chunk; (chunk = chunker.next(target)) != null; ) {
          actual.add(new String(chunk.bytes(), 0, chunk.length(),
              java.nio.charset.StandardCharsets.ISO_8859_1) + "@" + chunk.firstLine());
        }
        int cutTarget = target;
        assertEquals(expected, actual, () -> "text " + Arrays.toString(bytes) + ", target "
            + cutTarget + ", reads of " + readBytes);
      }
    }
  }

  /** An input that hands out at most {@code readBytes} per read. */
  private static InputStream trickle(byte[] bytes, int readBytes) {
    return new InputStream() {
      private int at;

      @Override
      public int read() {
        return at < bytes.length ? bytes[at++] & 0xff : -1;
      }

      @Override
      public int read(byte[] into, int offset, int length) {
        if (at == bytes.length) {
          return -1;
        }
        int count = Math.min(Math.min(length, readBytes), bytes.length - at);
        System.arraycopy(bytes, at, into, offset, count);
        at += count;
        return count;
      }
    };
  }

  /**
   * The rules walked one byte at a time: a quote opens a quoted field only at a field's start;
   * inside, a quote closes it unless doubled; after a closing quote a CR starts a field; a cut
   * follows the first LF outside quotes at or past the target. Each chunk as text@firstLine.
   */
  private static List<String> referenceCuts(byte[] bytes, char delimiter, int target) {
    List<String> cuts = new ArrayList<>();
    int state = 0; // 0 field start, 1 unquoted, 2 quoted, 3 quote in quoted
    int start = 0;
    long line = 1;
    long lineFeeds = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        lineFeeds++;
      }
      if (state == 2) {
        state = b == '"' ? 3 : 2;
        continue;
      }
      if (state == 3) {
        state = b == '"' ? 2 : b == '\r' ? 0 : b == delimiter || b == '\n' ? 0 : 1;
      } else if (state == 0 && b == '"') {
        state = 2;
      } else {
        state = b == delimiter || b == '\n' ? 0 : 1;
      }
      if (b == '\n' && i + 1 - start >= target) {
        cuts.add(new String(bytes, start, i + 1 - start,
            java.nio.charset.StandardCharsets.ISO_8859_1) + "@" + line);
        line += lineFeeds;
        lineFeeds = 0;
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      cuts.add(new String(bytes, start, bytes.length - start,
          java.nio.charset.StandardCharsets.ISO_8859_1) + "@" + line);
    }
    return cuts;
  }
}
