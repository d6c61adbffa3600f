package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.MetaMessages;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * The durable, append-only record of everything the service accepted: name claims and signed
 * manifests, in the order they were accepted.
 *
 * <pre>
 * file   := magic "CAIRNHL" u8 formatVersion(1) | record*
 * record := u32 length | u32 crc32c | u8 kind | body      (length and crc cover kind + body)
 * kind 1 := name claim: the CLAIM_NAME payload (string name, bytes[32] key, bytes[64] sig)
 * kind 2 := manifest: the signed manifest's encoded bytes
 * kind 3 := head timestamp: the signed timestamp's encoded bytes (docs/protocol.md 4.7)
 * </pre>
 *
 * <p>Design: every append is forced to disk before it returns, so an acknowledged request
 * survives a crash. A crash in the middle of an append leaves a torn tail: a short header, a
 * short body or a checksum mismatch. Replay stops at the first such record and truncates the
 * file there; everything before it was acknowledged and is kept. The log does not judge
 * records: the caller re-verifies each one it gets back (signatures, chain rules), because
 * the file may have been edited. The service locks its data directory ({@link
 * dev.cairn.wire.DirectoryLock}) before opening the log, so two services never append to one
 * file. Not thread-safe: the registry calls it under its own lock.
 */
final class HeadLog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HeadLog.class.getName());
  private static final byte[] MAGIC = "CAIRNHL\u0001".getBytes(StandardCharsets.ISO_8859_1);
  /** Bytes before a record's kind: length and checksum. */
  private static final int RECORD_HEADER_BYTES = 8;
  /** Largest record body (kind included): a kind byte and the largest manifest. */
  static final int RECORD_BYTES_MAX = 1 + MetaMessages.MANIFEST_BYTES_MAX;

  static final int KIND_CLAIM = 1;
  static final int KIND_MANIFEST = 2;
  static final int KIND_TIMESTAMP = 3;

  /** One record read back on replay. */
  sealed interface Entry permits ClaimEntry, ManifestEntry, TimestampEntry {}

  /** A name claim read back. */
  record ClaimEntry(ClaimName claim) implements Entry {}

  /** A manifest read back, not yet verified. */
  record ManifestEntry(byte[] encoded) implements Entry {}

  /** A head timestamp read back, not yet verified. */
  record TimestampEntry(byte[] encoded) implements Entry {}

  private final Path file;
  private final FileChannel channel;

  private HeadLog(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Opens (creating if absent) the log at {@code file}, hands every intact record to {@code
   * replay} in order, truncates a torn tail, and returns the log ready for appends.
   */
  static HeadLog open(Path file, Consumer<Entry> replay) {
    requireNonNull(replay, "replay");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      HeadLog log = new HeadLog(file, channel);
      log.replay(replay);
      return log;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new CairnException(ErrorCode.IO_ERROR, "cannot open head log " + file + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private void replay(Consumer<Entry> replay) throws IOException {
    long size = channel.size();
    if (size < MAGIC.length) {
      // New, or torn while being created: nothing was ever acknowledged from it.
      channel.truncate(0);
      writeFully(ByteBuffer.wrap(MAGIC), 0);
      channel.force(true);
      forceDirectory();
      return;
    }
    byte[] magic = readExactly(0, MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new CairnException(ErrorCode.IO_ERROR, file + " is not a Cairn head log (format "
          + "version 1); move it away or point the service at another data directory");
    }
    long position = MAGIC.length;
    int records = 0;
    while (position < size) {
      long next = readRecord(position, size, replay);
      if (next < 0) {
        LOG.warning("head log " + file + ": dropping a torn or corrupt tail of "
            + (size - position) + " bytes at offset " + position + " after " + records
            + " intact records (a crash during a write leaves one)");
        channel.truncate(position);
        channel.force(true);
        break;
      }
      position = next;
      records++;
    }
    channel.position(channel.size());
  }

  /** Makes the new file's directory entry durable too, where the platform allows it. */
  private void forceDirectory() {
    Path directory = file.toAbsolutePath().getParent();
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.log(Level.FINE, "cannot force directory " + directory + " (not supported here?)", e);
    }
  }

  /** Reads the record at {@code position}; returns the next position, or -1 if torn. */
  private long readRecord(long position, long size, Consumer<Entry> replay) throws IOException {
    if (size - position < RECORD_HEADER_BYTES + 1) {
      return -1;
    }
    ByteBuffer header = ByteBuffer.wrap(readExactly(position, RECORD_HEADER_BYTES));
    long length = Integer.toUnsignedLong(header.getInt());
    int crc = header.getInt();
    if (length < 1 || length > RECORD_BYTES_MAX
        || length > size - position - RECORD_HEADER_BYTES) {
      return -1;
    }
    byte[] record = readExactly(position + RECORD_HEADER_BYTES, (int) length);
    if (crc32c(record) != crc) {
      return -1;
    }
    deliver(record, position, replay);
    return position + RECORD_HEADER_BYTES + length;
  }

  private void deliver(byte[] record, long position, Consumer<Entry> replay) {
    try {
      replay.accept(decodeEntry(record));
    } catch (CairnException e) {
      // Intact but refused (edited file, or a rule that changed): skip it, keep the rest.
      LOG.log(Level.WARNING, "head log " + file + ": skipping the record at offset " + position
          + ": " + e.getMessage());
    }
  }

  private static Entry decodeEntry(byte[] record) {
    byte[] body = Arrays.copyOfRange(record, 1, record.length);
    switch (record[0]) {
      case KIND_CLAIM: {
        ByteBuf buffer = Unpooled.wrappedBuffer(body);
        return new ClaimEntry(ClaimName.decode(buffer));
      }
      case KIND_MANIFEST:
        return new ManifestEntry(body);
      case KIND_TIMESTAMP:
        return new TimestampEntry(body);
      default:
        throw new CairnException(ErrorCode.BAD_FORMAT, "unknown record kind " + record[0]);
    }
  }

  /** Appends a name claim and forces it to disk. */
  void appendClaim(NameClaim claim) {
    ByteBuf buffer = Unpooled.buffer();
    claim.toMessage().writeTo(buffer);
    byte[] body = new byte[buffer.readableBytes()];
    buffer.readBytes(body);
    append(KIND_CLAIM, body);
  }

  /** Appends a signed manifest's encoding and forces it to disk. */
  void appendManifest(byte[] encoded) {
    append(KIND_MANIFEST, encoded);
  }

  /** Appends a signed head timestamp's encoding and forces it to disk. */
  void appendTimestamp(byte[] encoded) {
    append(KIND_TIMESTAMP, encoded);
  }

  private void append(int kind, byte[] body) {
    byte[] record = new byte[1 + body.length];
    record[0] = (byte) kind;
    System.arraycopy(body, 0, record, 1, body.length);
    ByteBuffer framed = ByteBuffer.allocate(RECORD_HEADER_BYTES + record.length);
    framed.putInt(record.length).putInt(crc32c(record)).put(record).flip();
    long start = -1;
    try {
      start = channel.size();
      writeFully(framed, start);
      channel.force(false);
    } catch (IOException e) {
      undo(start);
      throw new CairnException(ErrorCode.IO_ERROR, "cannot write head log " + file + ": " + e, e);
    }
  }

  /** Cuts off a partly written record so the next append does not follow garbage. */
  private void undo(long start) {
    if (start < 0) {
      return;
    }
    try {
      channel.truncate(start);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot truncate head log " + file + " after a failed write; "
          + "the next start will drop the torn record", e);
    }
  }

  private void writeFully(ByteBuffer bytes, long position) throws IOException {
    long at = position;
    while (bytes.hasRemaining()) {
      at += channel.write(bytes, at);
    }
  }

  private byte[] readExactly(long position, int count) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(count);
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new IOException("unexpected end of " + file + " at offset " + at);
      }
      at += read;
    }
    return buffer.array();
  }

  static int crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length);
    return (int) crc.getValue();
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing a head log", e);
    }
  }
}
