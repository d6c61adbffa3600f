package dev.cairn.client.input;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.ParsedRoot;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads a UTF-8 CSV file with a header line like {@link CsvReader}, but hands out each group
 * of rows as raw bytes parsed later, on whichever thread decodes it ({@link
 * TableInput.DeferredGroup}): the calling thread only cuts the file at record boundaries
 * ({@link CsvChunker}), so parsing runs in parallel across a publisher's workers.
 *
 * <p>A group is the records of about {@code chunkBytes} of CSV text, so for CSV input a batch's
 * size is counted in input bytes, not Arrow bytes. The header, the explicit schema's check and
 * type inference from the first {@link CsvOptions#sampleRows} records are exactly {@link
 * CsvReader}'s, read on the calling thread from the first chunks, which are then parsed again
 * like every other (the sample is small). Messages are the same too: a bad value names its
 * file line and column; malformed UTF-8 names its line.
 */
public final class CsvChunkInput implements TableInput {
  private static final int INPUT_BUFFER_BYTES = 1 << 20;

  private final InputStream input;
  private final CsvChunker chunker;
  private final char delimiter;
  private final int chunkBytes;
  private final BufferAllocator allocator;
  private final TableSchema schema;
  private final CsvRowWriter rowWriter;
  private final CsvBytesParser bytesParser;
  /** Chunks read for the header and the type sample, handed out before any others. */
  private final Deque<CsvChunker.Chunk> held = new ArrayDeque<>();

  /** Opens {@code file}; the input owns the stream and closes it. */
  public static CsvChunkInput open(Path file, CsvOptions options, BufferAllocator allocator,
      int chunkBytes) {
    try {
      return new CsvChunkInput(Files.newInputStream(file), options, allocator, chunkBytes);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e, e);
    }
  }

  /** Reads CSV from {@code input}, which this closes, in groups of about {@code chunkBytes}. */
  public CsvChunkInput(InputStream input, CsvOptions options, BufferAllocator allocator,
      int chunkBytes) {
    requireNonNull(options, "options");
    this.input = new BufferedInputStream(requireNonNull(input, "input"), INPUT_BUFFER_BYTES);
    this.allocator = requireNonNull(allocator, "allocator");
    if (chunkBytes < 1) {
      throw new IllegalArgumentException("chunkBytes must be at least 1: " + chunkBytes);
    }
    this.chunkBytes = chunkBytes;
    this.delimiter = options.delimiter();
    this.chunker = new CsvChunker(this.input, delimiter);
    try {
      schema = readSchema(options);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    rowWriter = new CsvRowWriter(schema, options.schema() != null ? ""
        : CsvReader.inferredNote(options));
    bytesParser = new CsvBytesParser(schema, delimiter);
  }

  /** Reads the header and, without a schema, the sample, from the first chunks, kept. */
  private TableSchema readSchema(CsvOptions options) {
    CsvTokenizer tokenizer = new CsvTokenizer(new Utf8LineReader(
        new SequenceInputStream(heldChunks())), delimiter);
    List<String> header = CsvReader.readHeader(record(tokenizer, 0));
    if (options.schema() != null) {
      CsvReader.checkHeader(header, options.schema());
      return options.schema();
    }
    TypeInference inference = new TypeInference(header);
    for (int rows = 0; rows < options.sampleRows(); rows++) {
      List<String> fields = record(tokenizer, 0);
      if (fields == null) {
        break;
      }
      if (fields.size() != header.size()) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "line " + tokenizer.recordLine() + ": "
            + fields.size() + " fields, expected " + header.size());
      }
      inference.add(fields);
    }
    return inference.schema();
  }

  /** The chunks as one stream, each chunk read from the chunker kept in {@link #held}. */
  private Enumeration<InputStream> heldChunks() {
    return new Enumeration<>() {
      private CsvChunker.Chunk next;
      private boolean ended;

      @Override
      public boolean hasMoreElements() {
        if (next == null && !ended) {
          next = cutNext();
          ended = next == null;
        }
        return next != null;
      }

      @Override
      public InputStream nextElement() {
        if (!hasMoreElements()) {
          throw new java.util.NoSuchElementException();
        }
        CsvChunker.Chunk chunk = next;
        next = null;
        held.add(chunk);
        return new ByteArrayInputStream(chunk.bytes(), 0, chunk.length());
      }
    };
  }

  @Override
  public TableSchema schema() {
    return schema;
  }

  @Override
  public long bytesRead() {
    return chunker.consumedBytes();
  }

  @Override
  public DeferredGroup nextDeferred(long targetBytes) {
    CsvChunker.Chunk chunk = held.isEmpty() ? cutNext() : held.poll();
    if (chunk == null) {
      return null;
    }
    return new DeferredGroup() {
      /** Whether the chunk's array went back: twice would give it to two chunks at once. */
      private final AtomicBoolean given = new AtomicBoolean();

      @Override
      public List<VectorSchemaRoot> decode() {
        try {
          return parse(chunk);
        } finally {
          giveBack(); // the roots hold copies of every value
        }
      }

      @Override
      public void discard() {
        giveBack();
      }

      private void giveBack() {
        if (given.compareAndSet(false, true)) {
          chunker.recycle(chunk.bytes());
        }
      }
    };
  }

  @Override
  public List<VectorSchemaRoot> next(long targetBytes) {
    return TableInput.nextDecoded(this, targetBytes);
  }

  private CsvChunker.Chunk cutNext() {
    try {
      return chunker.next(chunkBytes);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "reading CSV failed: " + e, e);
    }
  }

  /**
   * Parses one chunk into one root, skipping the header in the file's first chunk; an empty
   * list when it holds no record. Straight from the bytes when {@link CsvBytesParser} can (a
   * {@link ParsedRoot}), else through the tokenizer (a plain root, checked in full). Safe on
   * any thread: it touches only its own chunk, the shared stateless parsers and the
   * thread-safe allocator.
   */
  private List<VectorSchemaRoot> parse(CsvChunker.Chunk chunk) {
    // The byte parser checks every VARCHAR byte it copies as UTF-8: the encoder need not.
    VectorSchemaRoot root = new ParsedRoot(schema.toArrow(), allocator);
    int rows;
    try {
      root.allocateNew();
      rows = bytesParser.parse(chunk.bytes(), chunk.length(), chunk.first(), root);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
    if (rows < 0) {
      root.close();
      return parseWithTokenizer(chunk);
    }
    return finish(root, rows);
  }

  /** Parses one chunk record by record, naming the file line of any error. */
  private List<VectorSchemaRoot> parseWithTokenizer(CsvChunker.Chunk chunk) {
    CsvTokenizer tokenizer = new CsvTokenizer(new Utf8LineReader(new ByteArrayInputStream(
        chunk.bytes(), 0, chunk.length())), delimiter, chunk.firstLine());
    if (chunk.first()) {
      record(tokenizer, chunk.firstLine() - 1);
    }
    VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator);
    try {
      root.allocateNew();
      int rows = 0;
      List<String> fields;
      while ((fields = record(tokenizer, chunk.firstLine() - 1)) != null) {
        rowWriter.write(root, rows, tokenizer.recordLine(), fields);
        rows++;
      }
      return finish(root, rows);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** The root with its row count set, or no root (closed) when it has no rows. */
  private static List<VectorSchemaRoot> finish(VectorSchemaRoot root, int rows) {
    if (rows == 0) {
      root.close();
      return List.of();
    }
    root.setRowCount(rows);
    return List.of(root);
  }

  /** Returns the next record; {@code lineOffset} turns the decoder's lines into the file's. */
  private static List<String> record(CsvTokenizer tokenizer, long lineOffset) {
    try {
      return tokenizer.next();
    } catch (Utf8LineReader.MalformedLineException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "input is not UTF-8: line "
          + (e.line() + lineOffset) + " has a byte sequence that is not valid UTF-8");
    } catch (CharacterCodingException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "input is not UTF-8 (at or after line "
          + tokenizer.line() + ")");
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "reading CSV failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      input.close();
    } catch (IOException e) {
      // Nothing was written; a failed close of an input loses nothing.
    }
  }
}
