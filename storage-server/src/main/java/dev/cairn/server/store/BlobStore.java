package dev.cairn.server.store;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.manifest.ChunkTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A durable, content-addressed blob store on local disk.
 *
 * <p>Layout under the store's directory: {@code blobs/ab/abcdef…} holds the blob whose id is
 * {@code abcdef…} (the first two hex characters fan the files out over 256 directories),
 * {@code tmp/} holds uploads in progress, {@code quarantine/} holds blobs the scrubber found
 * corrupt, kept for an admin to inspect and never served, and {@code leaves/ab/abcdef…} holds
 * each blob's chunk-tree leaf hashes ({@link LeafHashFiles}), from which GET_CHUNK proofs are
 * made ({@link #chunkTree}).
 *
 * <p>Crash safety, the invariant that matters: a file exists under {@code blobs/} only if all
 * its bytes hash to its name. A put writes a temporary file, forces it to disk, renames it
 * atomically into place and forces the directory, so after {@code kill -9} or power loss at any
 * moment a blob is either wholly present or absent. Opening the store deletes what is left in
 * {@code tmp/} and drops any blob file whose name is not a valid id. Ids are checked on write;
 * readers check them again on every fetch, and the scrubber re-hashes on a schedule.
 *
 * <p>Capacity is reserved before a byte is written, so concurrent puts cannot overshoot it.
 */
public final class BlobStore {
  private static final Logger LOG = Logger.getLogger(BlobStore.class.getName());
  private static final String BLOBS = "blobs";
  private static final String TMP = "tmp";
  private static final String QUARANTINE = "quarantine";

  private final Path root;
  private final long capacityBytes;
  private final AtomicLong usedBytes = new AtomicLong();
  /** Bumped on every change of the set of held blobs, so holdings are resent only on change. */
  private final AtomicLong changes = new AtomicLong();
  private final NavigableMap<ContentId, Long> sizes = new ConcurrentSkipListMap<>();
  private final LeafHashFiles leafHashes;

  private BlobStore(Path root, long capacityBytes) {
    this.root = root;
    this.capacityBytes = capacityBytes;
    this.leafHashes = new LeafHashFiles(root, root.resolve(TMP));
  }

  /** Opens (creating if needed) the store under {@code root}, cleaning up after any crash. */
  public static BlobStore open(Path root, long capacityBytes) throws IOException {
    requireNonNull(root, "root");
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacityBytes must be > 0: " + capacityBytes);
    }
    BlobStore store = new BlobStore(root, capacityBytes);
    Files.createDirectories(root.resolve(BLOBS));
    Files.createDirectories(root.resolve(TMP));
    Files.createDirectories(root.resolve(QUARANTINE));
    store.deleteLeftoverTemporaryFiles();
    store.scanBlobs();
    store.leafHashes.open(store::contains);
    return store;
  }

  private void deleteLeftoverTemporaryFiles() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(root.resolve(TMP))) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private void scanBlobs() throws IOException {
    try (DirectoryStream<Path> fans = Files.newDirectoryStream(root.resolve(BLOBS))) {
      for (Path fan : fans) {
        if (!Files.isDirectory(fan)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fan)) {
          for (Path file : files) {
            scanOne(fan, file);
          }
        }
      }
    }
  }

  private void scanOne(Path fan, Path file) throws IOException {
    ContentId id;
    try {
      id = ContentId.parse(file.getFileName().toString());
    } catch (CairnException notAnId) {
      // Not ours: never served, and moved aside so it is not counted as stored.
      moveToQuarantine(file, file.getFileName().toString() + ".unknown");
      return;
    }
    if (!fan.getFileName().toString().equals(id.toHex().substring(0, 2))) {
      moveToQuarantine(file, id.toHex() + ".misplaced");
      return;
    }
    long size = Files.size(file);
    sizes.put(id, size);
    usedBytes.addAndGet(size);
  }

  /** Returns true if the blob is stored here. */
  public boolean contains(ContentId id) {
    return sizes.containsKey(id);
  }

  /** Returns the blob's size in bytes, or -1 if it is not stored here. */
  public long size(ContentId id) {
    Long size = sizes.get(id);
    return size == null ? -1 : size;
  }

  /** Returns the file holding the blob, or throws NOT_FOUND. */
  public Path file(ContentId id) {
    if (!contains(id)) {
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " is not stored here");
    }
    return blobPath(id);
  }

  /** Reads the whole blob, or throws NOT_FOUND. */
  public byte[] read(ContentId id) throws IOException {
    try {
      return Files.readAllBytes(file(id));
    } catch (NoSuchFileException e) {
      forget(id);
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " vanished from disk");
    }
  }

  /**
   * Stores {@code data} under {@code id} after checking that it hashes to the id (BAD_HASH) and
   * fits the capacity (CAPACITY_FULL). Returns false if the blob was already stored.
   */
  public boolean put(ContentId id, ByteBuffer data) throws IOException {
    requireNonNull(id, "id");
    MessageDigest digest = ContentId.newDigest();
    ChunkTree.Builder tree = ChunkTree.builder();
    hashInChunks(data.duplicate(), digest, tree);
    ContentId actual = ContentId.fromDigest(digest);
    if (!actual.equals(id)) {
      throw new CairnException(ErrorCode.BAD_HASH, "upload claims blob " + id.toHex()
          + " but its bytes hash to " + actual.toHex());
    }
    if (contains(id)) {
      return false;
    }
    long size = data.remaining();
    reserve(id, size);
    boolean stored = false;
    try {
      writeDurably(id, data.duplicate());
      stored = true;
    } finally {
      if (!stored) {
        usedBytes.addAndGet(-size);
      }
    }
    if (sizes.putIfAbsent(id, size) != null) {
      usedBytes.addAndGet(-size); // a concurrent put of the same blob won the race
      return false;
    }
    changes.incrementAndGet();
    writeLeafHashes(id, tree.build());
    return true;
  }

  /** Feeds {@code data} to both hashes chunk by chunk, while each chunk is in cache. */
  private static void hashInChunks(ByteBuffer data, MessageDigest digest,
      ChunkTree.Builder tree) {
    while (data.hasRemaining()) {
      ByteBuffer chunk = data.slice();
      chunk.limit(Math.min(chunk.remaining(), ChunkTree.CHUNK_BYTES));
      data.position(data.position() + chunk.remaining());
      digest.update(chunk.duplicate());
      tree.update(chunk);
    }
  }

  /** Writes a sidecar; a failure only costs a rebuild later, so it is logged, not thrown. */
  private void writeLeafHashes(ContentId id, ChunkTree tree) {
    try {
      leafHashes.write(id, tree);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not write the leaf hashes of blob " + id.toShortHex()
          + "; they will be rebuilt when asked for", e);
    }
  }

  /**
   * Returns the chunk tree of a held blob, for GET_CHUNK proofs: from its leaf-hash sidecar,
   * or, when that is missing or damaged (a blob stored before sidecars existed), by reading
   * and hashing the whole blob once and writing the sidecar. That rebuild also checks the
   * blob against its id: a blob that no longer matches is quarantined and NOT_FOUND, as the
   * scrubber would do. NOT_FOUND if not held.
   */
  public ChunkTree chunkTree(ContentId id) throws IOException {
    long size = size(id);
    if (size < 0) {
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " is not stored here");
    }
    ChunkTree cached = leafHashes.read(id, size);
    if (cached != null) {
      return cached;
    }
    MessageDigest digest = ContentId.newDigest();
    ChunkTree.Builder builder = ChunkTree.builder();
    try (FileChannel channel = FileChannel.open(file(id), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(ChunkTree.CHUNK_BYTES);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        hashInChunks(buffer, digest, builder);
        buffer.clear();
      }
    } catch (NoSuchFileException e) {
      forget(id);
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " vanished from disk");
    }
    ChunkTree tree = builder.build();
    if (!ContentId.fromDigest(digest).equals(id) || tree.blobBytes() != size) {
      quarantine(id);
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " was corrupt on"
          + " disk and is quarantined");
    }
    writeLeafHashes(id, tree);
    return tree;
  }

  /**
   * Reads up to {@code length} bytes of a held blob from {@code offset}: fewer only if the file
   * is shorter than it should be, which the asker then sees. NOT_FOUND if not held.
   */
  public byte[] readRange(ContentId id, long offset, int length) throws IOException {
    ByteBuffer range = ByteBuffer.allocate(length);
    try (FileChannel channel = FileChannel.open(file(id), StandardOpenOption.READ)) {
      while (range.hasRemaining()) {
        if (channel.read(range, offset + range.position()) < 0) {
          break; // the file is shorter than its recorded size
        }
      }
    } catch (NoSuchFileException e) {
      forget(id);
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " vanished from disk");
    }
    return Arrays.copyOf(range.array(), range.position());
  }

  private void reserve(ContentId id, long size) {
    while (true) {
      long used = usedBytes.get();
      if (used + size > capacityBytes) {
        throw new CairnException(ErrorCode.CAPACITY_FULL, "blob " + id.toShortHex() + " of "
            + size + " bytes does not fit: " + used + " of " + capacityBytes + " bytes used");
      }
      if (usedBytes.compareAndSet(used, used + size)) {
        return;
      }
    }
  }

  private void writeDurably(ContentId id, ByteBuffer data) throws IOException {
    Path tmp = root.resolve(TMP).resolve(id.toHex() + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong()) + ".part");
    Path target = blobPath(id);
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        while (data.hasRemaining()) {
          channel.write(data);
        }
        channel.force(true);
      }
      Files.createDirectories(target.getParent());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(target.getParent());
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new CairnException(ErrorCode.IO_ERROR, "could not store blob " + id.toShortHex()
          + ": " + e.getMessage(), e);
    }
  }

  private static void forceDirectory(Path directory) throws IOException {
    // Makes the rename itself durable; Linux allows opening a directory for reading to fsync it.
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name").toLowerCase().contains("win")) {
        throw e;
      }
    }
  }

  /** Moves a blob out of service into {@code quarantine/}; returns false if it was not here. */
  public boolean quarantine(ContentId id) throws IOException {
    Long size = sizes.remove(id);
    if (size == null) {
      return false;
    }
    usedBytes.addAndGet(-size);
    changes.incrementAndGet();
    moveToQuarantine(blobPath(id), id.toHex() + "." + System.currentTimeMillis());
    leafHashes.delete(id);
    return true;
  }

  /** Deletes a blob; returns false if it was not here. */
  public boolean delete(ContentId id) throws IOException {
    Long size = sizes.remove(id);
    if (size == null) {
      return false;
    }
    usedBytes.addAndGet(-size);
    changes.incrementAndGet();
    Files.deleteIfExists(blobPath(id));
    leafHashes.delete(id);
    return true;
  }

  private void forget(ContentId id) {
    Long size = sizes.remove(id);
    if (size != null) {
      usedBytes.addAndGet(-size);
      changes.incrementAndGet();
    }
  }

  private void moveToQuarantine(Path file, String name) throws IOException {
    try {
      Files.move(file, root.resolve(QUARANTINE).resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException gone) {
      // Nothing left to keep out of service.
    }
  }

  /** Returns up to {@code limit} stored ids greater than {@code after} (null: from the start). */
  public List<ContentId> list(ContentId after, int limit) {
    NavigableMap<ContentId, Long> tail = after == null ? sizes : sizes.tailMap(after, false);
    List<ContentId> ids = new ArrayList<>(Math.min(limit, 1024));
    for (ContentId id : tail.keySet()) {
      if (ids.size() >= limit) {
        break;
      }
      ids.add(id);
    }
    return ids;
  }

  /** Returns how many blobs are stored. */
  public int count() {
    return sizes.size();
  }

  /**
   * Returns a counter that changes whenever a blob is added or removed: equal values mean the
   * same holdings (within one run of the process).
   */
  public long changeCount() {
    return changes.get();
  }

  public long usedBytes() {
    return usedBytes.get();
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  public Path root() {
    return root;
  }

  private Path blobPath(ContentId id) {
    String hex = id.toHex();
    return root.resolve(BLOBS).resolve(hex.substring(0, 2)).resolve(hex);
  }
}
