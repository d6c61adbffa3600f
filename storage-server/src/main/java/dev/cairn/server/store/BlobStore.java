package dev.cairn.server.store;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.AtomicFiles;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 *
 * <p>The index follows the disk: for each blob it records the size, modification time and file
 * key (inode) seen when the file was written or found. {@link #checkOnDisk} compares them with
 * a fresh stat, so a file deleted, truncated or rewritten behind the donor's back is noticed by
 * the next request for it instead of at the next restart; a loss is reported to the {@link
 * LossListener} (ledger release, holdings, repair).
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
  private final NavigableMap<ContentId, Stored> sizes = new ConcurrentSkipListMap<>();
  private volatile LossListener lossListener = (id, sizeBytes, loss) -> { };
  /**
   * Locks that make puts of one blob take turns (striped by id): otherwise a second put of a
   * blob being written (a peer's repair pull racing the publisher's upload) renames its own file
   * over the first, and the index keeps the stat of a file that is no longer there.
   */
  private final Object[] putLocks = newLocks(64);
  /**
   * When a writer last asked for a held blob (HAS, or a PUT of a blob already here), by id, in
   * wall-clock milliseconds: restarts the orphan grace. Only held blobs have entries; kept in
   * memory, so after a restart a blob's grace runs from its file's modification time.
   */
  private final java.util.concurrent.ConcurrentHashMap<ContentId, Long> wantedMillis =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Why a blob left the store other than by a delete asked for. */
  public enum Loss {
    /** Its file is gone or no longer has the recorded size. */
    VANISHED,
    /** Its bytes no longer hash to its id; the file was moved to quarantine. */
    CORRUPT
  }

  /** Told of every blob the store lost, after it left the index. */
  @FunctionalInterface
  public interface LossListener {
    /** Called once per lost blob, with the size the index had recorded. */
    void lost(ContentId id, long sizeBytes, Loss loss);
  }

  /** What the index recorded of a blob's file: a stat that differs means someone touched it. */
  private record Stored(long size, long modifiedMillis, Object fileKey) {
    static Stored of(BasicFileAttributes attributes) {
      return new Stored(attributes.size(), attributes.lastModifiedTime().toMillis(),
          attributes.fileKey());
    }

    boolean sameFile(BasicFileAttributes attributes) {
      return modifiedMillis == attributes.lastModifiedTime().toMillis()
          && java.util.Objects.equals(fileKey, attributes.fileKey());
    }
  }
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
    Stored stored = Stored.of(Files.readAttributes(file, BasicFileAttributes.class));
    sizes.put(id, stored);
    usedBytes.addAndGet(stored.size());
  }

  /** Sets who is told of lost blobs (the donor: ledger release and repair); one listener. */
  public void setLossListener(LossListener listener) {
    this.lossListener = requireNonNull(listener, "listener");
  }

  /** Returns true if the blob is stored here. */
  public boolean contains(ContentId id) {
    return sizes.containsKey(id);
  }

  /** Returns the blob's size in bytes, or -1 if it is not stored here. */
  public long size(ContentId id) {
    Stored stored = sizes.get(id);
    return stored == null ? -1 : stored.size();
  }

  /**
   * Returns true if the blob is indexed and its file still looks as recorded. A file that is
   * gone or has another size is dropped from the index (VANISHED); one with the same size but
   * another modification time or inode is re-hashed once, and quarantined (CORRUPT) unless its
   * bytes still hash to the id. Costs one stat when nothing changed.
   */
  public boolean checkOnDisk(ContentId id) {
    Stored stored = sizes.get(id);
    if (stored == null) {
      return false;
    }
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(blobPath(id), BasicFileAttributes.class);
    } catch (IOException gone) {
      return vanished(id, stored, "its file is gone (" + gone.getClass().getSimpleName() + ")");
    }
    if (now.size() != stored.size()) {
      return vanished(id, stored, "its file has " + now.size() + " bytes, not "
          + stored.size());
    }
    if (stored.sameFile(now)) {
      return true;
    }
    return recheck(id, stored, now);
  }

  /** Drops a blob whose file is found gone while it is read, as {@link #vanished} does. */
  private void forget(ContentId id) throws IOException {
    Stored stored = sizes.get(id);
    if (stored != null) {
      vanished(id, stored, "its file is gone");
    }
    leafHashes.delete(id);
  }

  private boolean vanished(ContentId id, Stored stored, String why) {
    if (!sizes.remove(id, stored)) {
      return sizes.containsKey(id); // changed meanwhile by another thread
    }
    wantedMillis.remove(id);
    usedBytes.addAndGet(-stored.size());
    changes.incrementAndGet();
    LOG.warning("blob " + id.toHex() + " dropped from the index: " + why
        + "; a copy will be fetched from a peer if this donor is still one of its targets");
    lossListener.lost(id, stored.size(), Loss.VANISHED);
    return false;
  }

  /** Re-hashes a file that was touched; keeps it under its new stat if still intact. */
  private boolean recheck(ContentId id, Stored stored, BasicFileAttributes now) {
    ContentId actual;
    try {
      actual = treeOf(blobPath(id)).root();
    } catch (IOException e) {
      return vanished(id, stored, "its file cannot be read: " + e.getMessage());
    }
    if (actual.equals(id)) {
      sizes.replace(id, stored, Stored.of(now));
      return true;
    }
    try {
      quarantine(id, "its file was rewritten and its bytes hash to " + actual.toShortHex());
    } catch (IOException e) {
      LOG.warning("cannot quarantine rewritten blob " + id.toShortHex() + ": " + e);
    }
    return false;
  }

  /** Reads a blob file once into its chunk tree: its root is the id the bytes deserve. */
  private static ChunkTree treeOf(Path file) throws IOException {
    ChunkTree.Builder tree = ChunkTree.builder();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(ChunkTree.CHUNK_BYTES);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        tree.update(buffer);
        buffer.clear();
      }
    }
    return tree.build();
  }

  /**
   * Checks every indexed file with one stat each ({@link #checkOnDisk}) and returns how many
   * were lost; the scrubber runs this before each slow re-hashing pass.
   */
  public int checkAllOnDisk() {
    int lost = 0;
    for (ContentId id : sizes.keySet()) {
      lost += checkOnDisk(id) ? 0 : 1;
    }
    return lost;
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
    return put(id, new ByteBuffer[] {data});
  }

  /**
   * Like {@link #put(ContentId, ByteBuffer)} for a blob held in several buffers, in order (an
   * upload as the socket read it): hashed and written straight from them, never merged.
   */
  public boolean put(ContentId id, ByteBuffer[] data) throws IOException {
    requireNonNull(id, "id");
    // One hash pass: the tree's root is the id, and its leaves are the sidecar's.
    ChunkTree.Builder builder = ChunkTree.builder();
    long size = 0;
    for (ByteBuffer piece : data) {
      size += piece.remaining();
      builder.update(piece.duplicate());
    }
    ChunkTree tree = builder.build();
    ContentId actual = tree.root();
    if (!actual.equals(id)) {
      throw new CairnException(ErrorCode.BAD_HASH, "upload claims blob " + id.toHex()
          + " but its bytes hash to " + actual.toHex());
    }
    synchronized (putLockOf(id)) {
      if (contains(id)) {
        wantedMillis.put(id, System.currentTimeMillis());
        return false;
      }
      reserve(id, size);
      boolean stored = false;
      try {
        writeDurably(id, duplicates(data));
        stored = true;
      } finally {
        if (!stored) {
          usedBytes.addAndGet(-size);
        }
      }
      sizes.put(id, Stored.of(Files.readAttributes(blobPath(id), BasicFileAttributes.class)));
    }
    changes.incrementAndGet();
    writeLeafHashes(id, tree);
    return true;
  }

  /** Independent positions over the same bytes, so the caller's buffers stay as they were. */
  private static ByteBuffer[] duplicates(ByteBuffer[] data) {
    ByteBuffer[] copies = new ByteBuffer[data.length];
    for (int i = 0; i < data.length; i++) {
      copies[i] = data[i].duplicate();
    }
    return copies;
  }

  private Object putLockOf(ContentId id) {
    return putLocks[Math.floorMod(id.hashCode(), putLocks.length)];
  }

  /**
   * Checks the blob like {@link #checkOnDisk} and, when it is held, records that a writer wants
   * it now, restarting its orphan grace. Under the blob's put lock, so an orphan drop racing
   * it either happens first (the answer is no, and the writer uploads again) or not at all.
   */
  public boolean checkWanted(ContentId id) {
    synchronized (putLockOf(id)) {
      boolean held = checkOnDisk(id);
      if (held) {
        wantedMillis.put(id, System.currentTimeMillis());
      }
      return held;
    }
  }

  /**
   * Returns when the blob was last stored (its file's modification time) or asked for by a
   * writer, whichever is later, in wall-clock milliseconds; -1 if it is not held.
   */
  public long lastWantedMillis(ContentId id) {
    Stored stored = sizes.get(id);
    if (stored == null) {
      return -1;
    }
    return Math.max(stored.modifiedMillis(), wantedMillis.getOrDefault(id, 0L));
  }

  /**
   * Deletes the blob if nobody stored or asked for it since {@code cutoffMillis}; returns the
   * size deleted, or -1 if it is wanted since or not held. Under the blob's put lock, so a
   * PUT or HAS of it either comes first (and keeps it) or finds it gone.
   */
  public long deleteIfUnwantedSince(ContentId id, long cutoffMillis) throws IOException {
    synchronized (putLockOf(id)) {
      long last = lastWantedMillis(id);
      if (last < 0 || last >= cutoffMillis) {
        return -1;
      }
      long size = size(id);
      return delete(id) ? size : -1;
    }
  }

  private static Object[] newLocks(int count) {
    Object[] locks = new Object[count];
    Arrays.setAll(locks, i -> new Object());
    return locks;
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
   * or, when that is missing, damaged or has leaves whose root is not the blob's id, by
   * reading and hashing the whole blob once and writing the sidecar. That rebuild also checks
   * the blob against its id: a blob that no longer matches is quarantined and NOT_FOUND, as the
   * scrubber would do. NOT_FOUND if not held.
   */
  public ChunkTree chunkTree(ContentId id) throws IOException {
    long size = size(id);
    if (size < 0) {
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " is not stored here");
    }
    ChunkTree cached = leafHashes.read(id, size);
    if (cached != null && cached.root().equals(id)) {
      return cached; // leaves that lead to the id: the blob's own, so its proofs are right
    }
    ChunkTree tree;
    try {
      tree = treeOf(file(id));
    } catch (NoSuchFileException e) {
      forget(id);
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " vanished from disk");
    }
    if (!tree.root().equals(id) || tree.blobBytes() != size) {
      quarantine(id, "its bytes no longer hash to its id or have its size");
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

  private void writeDurably(ContentId id, ByteBuffer[] data) throws IOException {
    Path tmp = root.resolve(TMP).resolve(id.toHex() + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong()) + ".part");
    Path target = blobPath(id);
    try {
      AtomicFiles.write(tmp, target, data, AtomicFiles.Sync.DURABLE);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "could not store blob " + id.toShortHex()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Moves a blob out of service into {@code quarantine/}, logs why and tells the loss listener
   * (CORRUPT); returns false if it was not here.
   */
  public boolean quarantine(ContentId id, String why) throws IOException {
    Stored stored = sizes.remove(id);
    if (stored == null) {
      return false;
    }
    wantedMillis.remove(id);
    usedBytes.addAndGet(-stored.size());
    changes.incrementAndGet();
    moveToQuarantine(blobPath(id), id.toHex() + "." + System.currentTimeMillis());
    leafHashes.delete(id);
    LOG.warning("blob " + id.toHex() + " is corrupt (" + why + "); quarantined, a good copy "
        + "will be fetched from a peer if this donor is still one of its targets");
    lossListener.lost(id, stored.size(), Loss.CORRUPT);
    return true;
  }

  /** Deletes a blob; returns false if it was not here. */
  public boolean delete(ContentId id) throws IOException {
    Stored stored = sizes.remove(id);
    if (stored == null) {
      return false;
    }
    wantedMillis.remove(id);
    usedBytes.addAndGet(-stored.size());
    changes.incrementAndGet();
    Files.deleteIfExists(blobPath(id));
    leafHashes.delete(id);
    return true;
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
    NavigableMap<ContentId, Stored> tail = after == null ? sizes : sizes.tailMap(after, false);
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
