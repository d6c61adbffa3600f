package dev.cairn.client.input;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes strict UTF-8 from a stream and, on a malformed byte sequence, says on which line it
 * is: {@link java.io.InputStreamReader} reads ahead, so its error cannot name the line, and a reader of
 * a CSV file wants to be told "line 3", not "at or after line 1".
 *
 * <p>Lines are counted as the CSV tokenizer counts them: by {@code '\n'} bytes, which never
 * occur inside a multi-byte UTF-8 sequence, in the bytes the decoder consumed before the bad
 * one.
 */
final class Utf8LineReader extends Reader {
  private static final int BUFFER_BYTES = 1 << 16;

  /** A malformed or unmappable UTF-8 sequence, with the 1-based line it is on. */
  static final class MalformedLineException extends MalformedInputException {
    private static final long serialVersionUID = 1L;
    private final long line;

    MalformedLineException(int length, long line) {
      super(length);
      this.line = line;
    }

    /** Returns the line of the bad bytes, counting from 1. */
    long line() {
      return line;
    }

    @Override
    public String getMessage() {
      return "invalid UTF-8 on line " + line;
    }
  }

  private final InputStream input;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES).flip();
  /** The low half of a surrogate pair decoded when the caller had room for one char only. */
  private int pendingChar = -1;
  private long newlines;
  private boolean endOfInput;
  private boolean flushed;

  /** Reads from {@code input}, which {@link #close} closes. */
  Utf8LineReader(InputStream input) {
    this.input = requireNonNull(input, "input");
  }

  @Override
  public int read(char[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    CharBuffer out = CharBuffer.wrap(target, offset, length);
    if (pendingChar >= 0) {
      out.put((char) pendingChar);
      pendingChar = -1;
    }
    while (true) {
      if (out.remaining() == 1 && out.position() == offset) {
        return readOneInto(out, offset);
      }
      decodeInto(out);
      if (out.position() > offset) {
        return out.position() - offset;
      }
      if (endOfInput) {
        if (!flushed) {
          flushed = true;
          decoder.flush(out);
          if (out.position() > offset) {
            return out.position() - offset;
          }
        }
        return -1;
      }
      fill();
    }
  }

  /** Decodes into a two-char room so a surrogate pair fits, keeping its second half. */
  private int readOneInto(CharBuffer out, int offset) throws IOException {
    char[] pair = new char[2];
    int read = read(pair, 0, 2);
    if (read <= 0) {
      return read;
    }
    out.put(pair[0]);
    if (read == 2) {
      pendingChar = pair[1];
    }
    return 1;
  }

  private void decodeInto(CharBuffer out) throws MalformedLineException {
    int before = bytes.position();
    CoderResult result = decoder.decode(bytes, out, endOfInput);
    countNewlines(before, bytes.position());
    if (result.isError()) {
      throw new MalformedLineException(result.length(), newlines + 1);
    }
  }

  private void countNewlines(int from, int to) {
    byte[] array = bytes.array();
    for (int i = from; i < to; i++) {
      if (array[i] == '\n') {
        newlines++;
      }
    }
  }

  private void fill() throws IOException {
    bytes.compact();
    int read = input.read(bytes.array(), bytes.position(), bytes.remaining());
    if (read < 0) {
      endOfInput = true;
    } else {
      bytes.position(bytes.position() + read);
    }
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
