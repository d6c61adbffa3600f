package dev.cairn.client.heads;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.AtomicFiles;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.message.MetaMessages;
import dev.cairn.wire.message.MetaMessages.TableHead;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * A file of signed table heads ({@link SeenHeads}) that nothing needs to trust: each entry is a
 * head exactly as a metadata service sent it (claim signature and signed manifest), verified
 * again on every load, plus the ids of versions seen.
 *
 * <pre>
 * file  := magic "CAIRNSH" 0x01 | entry*
 * entry := u32 length | u32 crc32c(body) | body
 * body  := u8 schemaLength | schema (UTF-8) | bytes[64] claimSignature
 *          | u32 manifestLength | manifest | u32 idCount | idCount × (u64 version, bytes[32] id)
 * </pre>
 *
 * <p>An entry with no ids is a signed head a writer keeps ({@link SeenHeads#keep}), written
 * before the table's own entry (which always lists at least its own version's id, and may
 * repeat the newest kept head). Software that predates kept heads reads such an entry as a
 * head seen, which is true.
 *
 * <p>Loading never fails on content: an entry that is torn, fails its checksum, is out of
 * bounds or does not verify is skipped with a warning naming the file and offset; a file that
 * is not this format is ignored whole (warned). Ids of older versions are not signed: at worst
 * a forged one makes a reader refuse a table (FORK), it can never make one accept a head.
 *
 * <p>Updates ({@link #update}) hold an exclusive lock on {@code <file>.lock} (several
 * processes, and several objects of one process, may share a file), read the file again,
 * merge it with what the caller saw, and replace it atomically (temp file, fsync, rename), so
 * a crash leaves the old file or the new one, and no process loses another's record.
 */
public final class HeadStateFile {
  private static final Logger LOG = Logger.getLogger(HeadStateFile.class.getName());
  private static final byte[] MAGIC = "CAIRNSH\u0001".getBytes(StandardCharsets.ISO_8859_1);
  /** Largest file read; a bigger one is not ours (the bounds below keep ours far smaller). */
  public static final long FILE_BYTES_MAX = 1L << 30;
  /** Largest entry: a schema, a claim signature, the largest manifest and every id. */
  static final int ENTRY_BYTES_MAX = 1 + MetaMessages.NAME_BYTES_MAX + 64 + 4
      + MetaMessages.MANIFEST_BYTES_MAX + 4 + SeenHeads.VERSIONS_PER_TABLE_MAX * (8 + 32);
  /** Monitors per file, so that two objects of this JVM never ask for one file lock twice. */
  private static final Map<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path file;
  private final Object monitor;

  /** Creates the accessor of {@code file} (created on the first update). */
  public HeadStateFile(Path file) {
    this.file = requireNonNull(file, "file").toAbsolutePath().normalize();
    this.monitor = IN_PROCESS.computeIfAbsent(this.file, f -> new Object());
  }

  public Path path() {
    return file;
  }

  /** Returns every entry of the file that verifies; an absent file is empty. */
  public SeenHeads load() {
    synchronized (monitor) {
      try (FileLock lock = lock()) {
        return read();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "head state file " + file + " cannot be read (" + e
            + "); starting from what this process sees", e);
        return new SeenHeads();
      }
    }
  }

  /**
   * Merges {@code seen} into the file under its lock and returns the merged contents (which
   * includes what other processes recorded). Conflicts between them are logged; the file
   * keeps the id it had.
   */
  public SeenHeads update(SeenHeads seen) {
    synchronized (monitor) {
      try (FileLock lock = lock()) {
        SeenHeads merged = read();
        for (SeenHeads.Conflict c : merged.merge(seen)) {
          LOG.severe("FORK: head state file " + file + " has " + c.table().schema() + "."
              + c.table().table() + " v" + c.version() + " as " + c.seen().toShortHex()
              + ".. and this process saw " + c.offered().toShortHex() + "..");
        }
        write(merged);
        return merged;
      } catch (IOException e) {
        throw new CairnException(ErrorCode.IO_ERROR, "cannot write head state file " + file
            + ": " + e, e);
      }
    }
  }

  private FileLock lock() throws IOException {
    Path directory = file.getParent();
    if (directory != null) {
      Files.createDirectories(directory);
    }
    FileChannel channel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      return new ChannelClosingLock(channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private SeenHeads read() throws IOException {
    SeenHeads seen = new SeenHeads();
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > FILE_BYTES_MAX) {
        LOG.warning("head state file " + file + " is " + size + " bytes, more than any Cairn "
            + "head state file; ignoring it");
        return seen;
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return seen;
    }
    if (bytes.length < MAGIC.length
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      LOG.warning("head state file " + file + " is not a Cairn head state file (format 1); "
          + "ignoring it");
      return seen;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.position(MAGIC.length);
    while (buffer.remaining() > 0) {
      int offset = buffer.position();
      if (!readEntry(buffer, seen, offset)) {
        break;
      }
    }
    return seen;
  }

  /** Reads one entry into {@code seen}; returns false if the rest of the file is unreadable. */
  private boolean readEntry(ByteBuffer buffer, SeenHeads seen, int offset) {
    if (buffer.remaining() < 8) {
      skipped(offset, "a torn entry header; ignoring the rest of the file");
      return false;
    }
    long length = Integer.toUnsignedLong(buffer.getInt());
    int crc = buffer.getInt();
    if (length > ENTRY_BYTES_MAX || length > buffer.remaining()) {
      skipped(offset, "an entry length of " + length + " bytes that does not fit; ignoring "
          + "the rest of the file");
      return false;
    }
    byte[] body = new byte[(int) length];
    buffer.get(body);
    if (crc32c(body) != crc) {
      skipped(offset, "a checksum mismatch");
      return true;
    }
    try {
      decodeInto(ByteBuffer.wrap(body), seen, offset);
    } catch (CairnException | BufferUnderflowException | IllegalArgumentException e) {
      skipped(offset, "an entry that does not verify (" + e.getMessage() + ")");
    }
    return true;
  }

  private void skipped(int offset, String why) {
    LOG.warning("head state file " + file + ": ignoring the entry at offset " + offset + ": "
        + why);
  }

  private void decodeInto(ByteBuffer body, SeenHeads seen, int offset) {
    int schemaLength = Byte.toUnsignedInt(body.get());
    if (schemaLength > MetaMessages.NAME_BYTES_MAX) {
      throw new IllegalArgumentException("schema of " + schemaLength + " bytes");
    }
    byte[] schema = new byte[schemaLength];
    body.get(schema);
    byte[] claim = new byte[PublicKey.SIGNATURE_BYTES];
    body.get(claim);
    long manifestLength = Integer.toUnsignedLong(body.getInt());
    if (manifestLength > MetaMessages.MANIFEST_BYTES_MAX || manifestLength > body.remaining()) {
      throw new IllegalArgumentException("manifest of " + manifestLength + " bytes");
    }
    byte[] manifest = new byte[(int) manifestLength];
    body.get(manifest);
    VerifiedHead head = VerifiedHead.verify(new TableHead(
        new String(schema, StandardCharsets.UTF_8), claim, manifest), null, null);
    long idCount = Integer.toUnsignedLong(body.getInt());
    if (idCount > SeenHeads.VERSIONS_PER_TABLE_MAX || idCount * 40 != body.remaining()) {
      throw new IllegalArgumentException(idCount + " version ids in " + body.remaining()
          + " bytes");
    }
    if (idCount == 0) {
      if (seen.keep(head) == SeenHeads.Outcome.CONFLICT) {
        skipped(offset, "a kept head of " + head.schema() + "." + head.table() + " v"
            + head.version() + " with another id than the one seen (not kept)");
      }
      return;
    }
    if (seen.observe(head) == SeenHeads.Outcome.CONFLICT) {
      skipped(offset, "a second entry for " + head.schema() + "." + head.table() + " v"
          + head.version() + " with another id (kept the first)");
      return;
    }
    SeenHeads.TableKey key = SeenHeads.TableKey.of(head);
    for (long i = 0; i < idCount; i++) {
      long version = body.getLong();
      byte[] id = new byte[ContentId.BYTES];
      body.get(id);
      if (version > head.version()) {
        continue; // above the newest signed head: not believable, dropped
      }
      seen.observeId(key, version, ContentId.fromBytes(id)).ifPresent(c -> skipped(offset,
          "version " + c.version() + " listed as " + c.offered().toShortHex()
              + ".. but the signed head is " + c.seen().toShortHex() + ".."));
    }
  }

  private void write(SeenHeads seen) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(MAGIC);
    for (SeenHeads.Table table : seen.tables()) {
      for (VerifiedHead kept : table.kept()) {
        writeEntry(out, encode(kept.toTableHead(), List.of()));
      }
      writeEntry(out, encode(table.newest().toTableHead(),
          List.copyOf(table.ids().entrySet())));
    }
    AtomicFiles.replace(file, out.toByteArray());
  }

  private static void writeEntry(ByteArrayOutputStream out, byte[] body) throws IOException {
    DataOutputStream header = new DataOutputStream(out);
    header.writeInt(body.length);
    header.writeInt(crc32c(body));
    out.write(body);
  }

  private static byte[] encode(TableHead head, List<Map.Entry<Long, ContentId>> ids)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    byte[] schema = head.schema().getBytes(StandardCharsets.UTF_8);
    out.writeByte(schema.length);
    out.write(schema);
    out.write(head.claimSignature());
    out.writeInt(head.manifest().length);
    out.write(head.manifest());
    out.writeInt(ids.size());
    for (Map.Entry<Long, ContentId> id : ids) {
      out.writeLong(id.getKey());
      out.write(id.getValue().toBytes());
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static int crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length);
    return (int) crc.getValue();
  }

  /** A file lock that also closes its channel when released. */
  private static final class ChannelClosingLock extends FileLock {
    private final FileLock lock;

    ChannelClosingLock(FileChannel channel, FileLock lock) {
      super(channel, lock.position(), lock.size(), lock.isShared());
      this.lock = lock;
    }

    @Override
    public boolean isValid() {
      return lock.isValid();
    }

    @Override
    public void release() throws IOException {
      try {
        lock.release();
      } finally {
        channel().close();
      }
    }
  }
}
