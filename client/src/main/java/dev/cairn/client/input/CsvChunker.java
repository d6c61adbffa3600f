package dev.cairn.client.input;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.batch.ByteArrayViews;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Cuts CSV bytes into chunks of whole records, so that each chunk can be parsed on its own
 * thread ({@link CsvChunkInput}). Only finds where records end: it follows quotes exactly as
 * {@link CsvTokenizer} does (a quote opens a quoted field only at the start of a field; inside
 * one, a doubled quote is a quote and a line feed is text) and cuts after the first line feed
 * outside quotes at or past the target size, so a chunk never ends inside a record. A line feed
 * byte never occurs inside a multi-byte UTF-8 sequence, so no character is cut either.
 *
 * <p>A chunk carries the file line it starts on (line feeds before it, plus one) for error
 * messages. Bounded: a record longer than {@link #RECORD_BYTES_MAX} is BAD_FORMAT naming its
 * line, so a file without line feeds cannot exhaust memory.
 */
final class CsvChunker {
  /** Longest record in bytes: twice the tokenizer's character bound. */
  static final int RECORD_BYTES_MAX = 2 * CsvTokenizer.RECORD_CHARS_MAX;
  private static final int READ_BYTES = 1 << 20;
  /** Chunk arrays kept for reuse once parsed; the reading thread takes them back at once. */
  private static final int RETURNED_MAX = 4;
  private static final long QUOTES = ByteLanes.repeated((byte) '"');
  private static final long LINE_FEEDS = ByteLanes.repeated((byte) '\n');

  /** Where the scan is within a record, as the tokenizer would see it. */
  private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

  /**
   * Whole records from the file, {@code bytes[0..length)} (the array may be longer), starting
   * on {@code firstLine}.
   */
  record Chunk(byte[] bytes, int length, long firstLine, boolean first) {}

  private final InputStream input;
  private final byte delimiter;
  /**
   * The chunk being read: a cut hands this array over as the chunk's and goes on in another,
   * so that a chunk's bytes are copied only from the file, not again out of a reading buffer
   * (unless the chunk fills less than half of it).
   */
  private byte[] buffer = new byte[READ_BYTES];
  /** Size of a new chunk array: the target and room for the reads that find its end. */
  private int arrayBytes = READ_BYTES;
  /**
   * Arrays of parsed chunks given back ({@link #recycle}): a fresh array of each 8 MiB chunk
   * cost the JVM's zeroing and the kernel's page faults on the reading thread, which no worker
   * can take over (docs/benchmarks.md, "Parsed values in arrays, and donors' writes in calls
   * of 1 MiB").
   */
  private final BlockingQueue<byte[]> returned = new ArrayBlockingQueue<>(RETURNED_MAX);
  private int length;
  /** Bytes of {@link #buffer} already scanned (all belong to the record being read). */
  private int scanned;
  private State state = State.FIELD_START;
  /** Line feeds in the scanned bytes. */
  private long scannedLineFeeds;
  private long nextLine = 1;
  private long consumedBytes;
  private boolean endOfInput;
  private boolean first = true;

  /** Cuts {@code input} (not closed here) at records separated by {@code delimiter}. */
  CsvChunker(InputStream input, char delimiter) {
    this.input = requireNonNull(input, "input");
    if (delimiter > 0x7f) {
      throw new IllegalArgumentException("the chunker needs an ASCII delimiter: " + delimiter);
    }
    this.delimiter = (byte) delimiter;
  }

  /** True if records separated by {@code delimiter} can be cut by bytes. */
  static boolean supports(char delimiter) {
    return delimiter <= 0x7f;
  }

  /** Returns how many bytes were cut into chunks so far. */
  long consumedBytes() {
    return consumedBytes;
  }

  /**
   * Returns the next chunk: whole records, at least {@code targetBytes} unless the input ends
   * first; null at the end of the input.
   */
  Chunk next(int targetBytes) throws IOException {
    arrayBytes = (int) Math.min(Integer.MAX_VALUE - 8, targetBytes + 2L * READ_BYTES);
    while (true) {
      int cut = scanForCut(targetBytes);
      if (cut > 0) {
        return cut(cut);
      }
      if (endOfInput) {
        return length == 0 ? null : cut(length);
      }
      if (length >= (long) RECORD_BYTES_MAX + targetBytes) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "line " + (nextLine + scannedLineFeeds)
            + ": a record is longer than " + RECORD_BYTES_MAX + " bytes");
      }
      fill();
    }
  }

  /**
   * Scans on; returns the end of the first record ending at or past the target, else 0. The
   * state and line count live in locals for the loop (it touches every byte of the input on
   * the reading thread, which no worker can help with) and go back to the fields at the end.
   * The common states get loops of their own: inside quotes only a quote or a line feed
   * matters, and outside them a byte only decides whether the next one starts a field, so
   * those loops test a byte against two or three values instead of dispatching on the state,
   * and first skip eight bytes at a time while those hold no quote (this scan was most of the
   * reading thread's time at a byte a step).
   */
  private int scanForCut(int targetBytes) {
    byte[] bytes = buffer;
    byte separator = delimiter;
    State at = state;
    long lineFeeds = scannedLineFeeds;
    int cut = 0;
    int i = scanned;
    scan:
    while (i < length) {
      if (at == State.QUOTED) {
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
          long word = (long) ByteArrayViews.LONG_LE.get(bytes, i);
          if (ByteLanes.matches(word, QUOTES) != 0) {
            break;
          }
          lineFeeds += Long.bitCount(ByteLanes.matches(word, LINE_FEEDS));
        }
        for (; i < length; i++) {
          byte b = bytes[i];
          if (b == '"') {
            break;
          }
          if (b == '\n') {
            lineFeeds++;
          }
        }
        if (i < length) {
          at = State.QUOTE_IN_QUOTED;
          i++;
        }
        continue;
      }
      if (at == State.QUOTE_IN_QUOTED) {
        byte b = bytes[i++];
        at = b == '"' ? State.QUOTED : b == '\r' ? State.FIELD_START : afterUnquoted(b);
        if (b == '\n') {
          lineFeeds++;
          if (i >= targetBytes) {
            cut = i;
            break;
          }
        }
        continue;
      }
      boolean fieldStart = at == State.FIELD_START;
      for (; i < length; i++) {
        // Eight bytes without a quote, all before the target: only their line feeds and
        // whether the last one starts a field matter.
        for (; i + Long.BYTES < targetBytes && i + Long.BYTES <= length; i += Long.BYTES) {
          long word = (long) ByteArrayViews.LONG_LE.get(bytes, i);
          if (ByteLanes.matches(word, QUOTES) != 0) {
            break;
          }
          lineFeeds += Long.bitCount(ByteLanes.matches(word, LINE_FEEDS));
          byte last = bytes[i + Long.BYTES - 1];
          fieldStart = last == '\n' || last == separator;
        }
        if (i >= length) {
          break;
        }
        byte b = bytes[i];
        if (b == '\n') {
          lineFeeds++;
          fieldStart = true;
          if (i + 1 >= targetBytes) {
            at = State.FIELD_START;
            cut = i + 1;
            break scan;
          }
        } else if (b == '"' && fieldStart) {
          at = State.QUOTED;
          i++;
          continue scan;
        } else {
          fieldStart = b == separator;
        }
      }
      at = fieldStart ? State.FIELD_START : State.UNQUOTED;
    }
    state = at;
    scannedLineFeeds = lineFeeds;
    scanned = cut > 0 ? cut : length;
    return cut;
  }

  /** The state after byte {@code b} outside quotes: a delimiter or line feed starts a field. */
  private State afterUnquoted(byte b) {
    return b == delimiter || b == '\n' ? State.FIELD_START : State.UNQUOTED;
  }

  /**
   * Gives back the array of a chunk this chunker cut, once nothing reads it any more; any
   * thread. Kept for a later chunk if there is room, else left to the garbage collector.
   */
  void recycle(byte[] chunkBytes) {
    returned.offer(chunkBytes);
  }

  private Chunk cut(int end) {
    Chunk chunk;
    if (end >= buffer.length / 2) {
      chunk = new Chunk(buffer, end, nextLine, first);
      byte[] next = newBuffer(length - end + READ_BYTES);
      System.arraycopy(buffer, end, next, 0, length - end);
      buffer = next;
    } else {
      // A chunk far smaller than the array (a small batch target, the file's end) gets an
      // array of its own size: chunks held for the header and sample would keep whole arrays.
      chunk = new Chunk(Arrays.copyOf(buffer, end), end, nextLine, first);
      System.arraycopy(buffer, end, buffer, 0, length - end);
    }
    // A cut is always where the scan stopped, so the scan's count is exactly this chunk's.
    nextLine += scannedLineFeeds;
    scannedLineFeeds = 0;
    length -= end;
    scanned -= end;
    consumedBytes += end;
    first = false;
    return chunk;
  }

  /** An array of at least {@code bytes} for the next chunk, given back or new. */
  private byte[] newBuffer(int bytes) {
    int wanted = Math.max(bytes, arrayBytes);
    byte[] reused;
    while ((reused = returned.poll()) != null) {
      if (reused.length >= wanted) {
        return reused;
      }
    }
    return new byte[wanted];
  }

  private void fill() throws IOException {
    if (buffer.length - length < READ_BYTES) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + READ_BYTES));
    }
    int read = input.read(buffer, length, buffer.length - length);
    if (read < 0) {
      endOfInput = true;
    } else {
      length += read;
    }
  }
}
