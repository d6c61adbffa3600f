package dev.cairn.calcite.cache;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.AtomicFiles;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which verified batches are resident (loaded into the query engine), which of their columns,
 * bounded by bytes.
 *
 * <p>A batch enters only after its bytes matched its content id, so an entry can never be
 * stale: a new table version simply finds every batch it shares with the old one already here.
 * Only the columns queries asked for are decoded and loaded (projection pushdown); a later
 * query that needs more columns of a resident batch adds them. So that adding columns needs no
 * second download, an entry without all its columns may keep the verified blob itself in
 * memory (accounted with the entry) when there is no cache directory to read it from.
 *
 * <p>Entries are ordered by last use; when the resident bytes exceed the capacity, the least
 * recently used batches that no running query has pinned are handed to the {@link Evictor}
 * (which drops them from the engine). A pinned batch is never evicted, so the cache may exceed
 * its capacity while queries that need more run.
 *
 * <p>A <em>derived</em> entry ({@link #admitDerived}) is a copy the engine made of resident
 * batches (a version's batches merged into one table): its bytes are counted once, as its own
 * entry, and it leaves with the first of its sources. A source batch stays while a derived
 * entry built from it is pinned, so a query that pinned only the derived entry and some of its
 * sources never loses what it reads.
 *
 * <p>With a directory, each admitted blob is also written there as a file named by its hex id
 * (written to a temporary name and moved, so a crash leaves no half file under a real name). A
 * file is read back only through {@link #readFromDisk}, which checks its hash again: the disk
 * is trusted no more than a donor. The directory is bounded by the same capacity (a file leaves
 * with its entry).
 */
public final class BatchCache {
  private static final Logger LOG = Logger.getLogger(BatchCache.class.getName());
  private static final String BLOB_SUFFIX = ".blob";

  /** Removes an evicted batch from the engine. Called with the cache lock held. */
  @FunctionalInterface
  public interface Evictor {
    void evict(ContentId id);
  }

  /** One resident batch: its loaded columns, the bytes it accounts for, maybe its blob. */
  private static final class Entry {
    final BitSet columns = new BitSet();
    long bytes;
    byte[] blob;
    /** For a derived entry, the batches it was built from; null for a batch. */
    List<ContentId> sources;
  }

  private final long capacityBytes;
  private final Path directory;
  private final Evictor evictor;
  /** Access-ordered: iteration starts at the least recently used entry. */
  private final LinkedHashMap<ContentId, Entry> resident = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<ContentId, Integer> pins = new HashMap<>();
  /** Per source batch, the derived entries built from it. */
  private final Map<ContentId, Set<ContentId>> derivedFrom = new HashMap<>();
  private long residentBytes;
  private long evictions;

  /**
   * Creates a cache of {@code capacityBytes}; {@code directory} (may be null: memory only)
   * keeps verified blobs between processes.
   */
  public BatchCache(long capacityBytes, Path directory, Evictor evictor) {
    if (capacityBytes < 1) {
      throw new IllegalArgumentException("cache capacity must be positive: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
    this.directory = directory;
    this.evictor = requireNonNull(evictor, "evictor");
    if (directory != null) {
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new CairnException(ErrorCode.IO_ERROR, "cannot create cache directory "
            + directory + ": " + e.getMessage(), e);
      }
    }
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  /** Returns true if this cache keeps blobs in a directory. */
  public boolean hasDirectory() {
    return directory != null;
  }

  /** Returns true if {@code id} is resident, marking it as just used. */
  public synchronized boolean isResident(ContentId id) {
    return resident.get(id) != null;
  }

  /** Returns the columns of {@code id} that are resident (empty if it is not). */
  public synchronized BitSet residentColumns(ContentId id) {
    Entry entry = resident.get(id);
    return entry == null ? new BitSet() : (BitSet) entry.columns.clone();
  }

  /** Returns the bytes resident batches account for. */
  public synchronized long residentBytes() {
    return residentBytes;
  }

  public synchronized int residentCount() {
    return resident.size();
  }

  /** Returns how many batches were evicted since this cache was created. */
  public synchronized long evictions() {
    return evictions;
  }

  /**
   * Pins {@code id} if it is resident, so it stays until {@link #unpin}, and returns its
   * resident columns; returns null (and pins nothing) if it is not resident.
   */
  public synchronized BitSet pinIfResident(ContentId id) {
    Entry entry = resident.get(id);
    if (entry == null) {
      return null;
    }
    pins.merge(id, 1, Integer::sum);
    return (BitSet) entry.columns.clone();
  }

  /** Releases one pin of each of {@code ids}, then evicts what exceeds the capacity. */
  public synchronized void unpin(Collection<ContentId> ids) {
    for (ContentId id : ids) {
      pins.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
    }
    evictOverCapacity();
  }

  /**
   * Records that {@code id}, verified and not resident before, now has {@code columns} loaded,
   * accounting for {@code bytes}, pinned once for the caller. {@code blob} (may be null) is
   * kept in memory for adding columns later, and accounted too. Evicts unpinned least recently
   * used batches beyond the capacity.
   */
  public synchronized void admit(ContentId id, BitSet columns, long bytes, byte[] blob) {
    Entry entry = new Entry();
    entry.columns.or(columns);
    entry.bytes = bytes + (blob == null ? 0 : blob.length);
    entry.blob = blob;
    Entry old = resident.put(id, entry);
    if (old != null) {
      residentBytes -= old.bytes;
    }
    residentBytes += entry.bytes;
    pins.merge(id, 1, Integer::sum);
    evictOverCapacity();
  }

  /**
   * Records that {@code columns} of the resident, pinned batch {@code id} are now loaded too,
   * accounting for {@code bytes} more. With {@code complete} (every column is now loaded) the
   * blob kept in memory, if any, is let go: nothing more can be added.
   */
  public synchronized void addColumns(ContentId id, BitSet columns, long bytes,
      boolean complete) {
    Entry entry = resident.get(id);
    if (entry == null || !pins.containsKey(id)) {
      throw new IllegalStateException("batch " + id.toShortHex() + " is not resident and pinned");
    }
    entry.columns.or(columns);
    entry.bytes += bytes;
    residentBytes += bytes;
    if (complete && entry.blob != null) {
      entry.bytes -= entry.blob.length;
      residentBytes -= entry.blob.length;
      entry.blob = null;
    }
    evictOverCapacity();
  }

  /**
   * Records a derived entry {@code id} the engine built from the resident batches {@code
   * sources} (in order, an id may repeat) with their {@code columns}, pinned once for the
   * caller, and returns true; its bytes are estimated as the share of each source's bytes its
   * columns account for. Returns false, recording nothing, if a source is not resident with
   * those columns or the copy does not fit in the free capacity (a derived entry is an
   * optimisation, never a reason to evict data).
   */
  public synchronized boolean admitDerived(ContentId id, List<ContentId> sources,
      BitSet columns) {
    if (resident.containsKey(id)) {
      return false;
    }
    long bytes = 0;
    for (ContentId source : sources) {
      Entry entry = resident.get(source);
      if (entry == null || entry.sources != null) {
        return false;
      }
      BitSet missing = (BitSet) columns.clone();
      missing.andNot(entry.columns);
      if (!missing.isEmpty()) {
        return false;
      }
      long data = entry.bytes - (entry.blob == null ? 0 : entry.blob.length);
      bytes += data * columns.cardinality() / Math.max(1, entry.columns.cardinality());
    }
    bytes = Math.max(bytes, 1);
    if (residentBytes + bytes > capacityBytes) {
      return false;
    }
    Entry entry = new Entry();
    entry.columns.or(columns);
    entry.bytes = bytes;
    entry.sources = List.copyOf(sources);
    resident.put(id, entry);
    residentBytes += bytes;
    for (ContentId source : sources) {
      derivedFrom.computeIfAbsent(source, k -> new LinkedHashSet<>()).add(id);
    }
    pins.merge(id, 1, Integer::sum);
    return true;
  }

  /** Evicts {@code id} now if it is resident and nothing pins it; returns true if it did. */
  public synchronized boolean evictIfUnpinned(ContentId id) {
    Entry entry = resident.get(id);
    if (entry == null || !evictable(id)) {
      return false;
    }
    resident.remove(id);
    evict(id, entry);
    return true;
  }

  /** Returns the verified blob of resident {@code id} kept in memory, if any. */
  public synchronized Optional<byte[]> keptBlob(ContentId id) {
    Entry entry = resident.get(id);
    return Optional.ofNullable(entry == null ? null : entry.blob);
  }

  private void evictOverCapacity() {
    while (residentBytes > capacityBytes) {
      ContentId victim = null;
      for (ContentId id : resident.keySet()) { // oldest first
        if (evictable(id)) {
          victim = id;
          break;
        }
      }
      if (victim == null) {
        return;
      }
      evict(victim, resident.remove(victim));
    }
  }

  /** Returns true if neither {@code id} nor an entry derived from it is pinned. */
  private boolean evictable(ContentId id) {
    if (pins.containsKey(id)) {
      return false;
    }
    for (ContentId derived : derivedFrom.getOrDefault(id, Set.of())) {
      if (pins.containsKey(derived)) {
        return false;
      }
    }
    return true;
  }

  /** Accounts for {@code entry} of {@code id}, already removed, leaving; and what it built. */
  private void evict(ContentId id, Entry entry) {
    residentBytes -= entry.bytes;
    evictions++;
    try {
      evictor.evict(id);
    } finally {
      if (entry.sources == null) {
        deleteFile(id);
        for (ContentId derived : derivedFrom.getOrDefault(id, Set.of()).toArray(
            new ContentId[0])) {
          Entry d = resident.remove(derived);
          if (d != null) {
            evict(derived, d);
          }
        }
        derivedFrom.remove(id);
      } else {
        for (ContentId source : entry.sources) {
          Set<ContentId> built = derivedFrom.get(source);
          if (built != null) {
            built.remove(id);
            if (built.isEmpty()) {
              derivedFrom.remove(source);
            }
          }
        }
      }
    }
  }

  /** Returns the verified bytes of {@code id} from the cache directory, if a good file is there. */
  public Optional<byte[]> readFromDisk(ContentId id) {
    if (directory == null) {
      return Optional.empty();
    }
    Path file = file(id);
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (!ContentId.of(bytes).equals(id)) {
        LOG.warning("cache file " + file + " does not hash to its name; deleting it");
        deleteFile(id);
        return Optional.empty();
      }
      return Optional.of(bytes);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read cache file " + file, e);
      return Optional.empty();
    }
  }

  /** Keeps verified {@code bytes} of {@code id} in the cache directory (if there is one). */
  public void writeToDisk(ContentId id, byte[] bytes) {
    if (directory == null || Files.exists(file(id))) {
      return;
    }
    Path temporary = directory.resolve(id.toHex() + "." + Thread.currentThread().getId()
        + ".tmp");
    try {
      // Not forced: a cached blob is verified against its id when read back.
      AtomicFiles.write(temporary, file(id), ByteBuffer.wrap(bytes), AtomicFiles.Sync.NONE);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot keep batch " + id.toShortHex() + " on disk", e);
    }
  }

  /** Returns the file that holds {@code id} in the cache directory. */
  public Path file(ContentId id) {
    if (directory == null) {
      throw new IllegalStateException("this cache keeps no files");
    }
    return directory.resolve(id.toHex() + BLOB_SUFFIX);
  }

  private void deleteFile(ContentId id) {
    if (directory == null) {
      return;
    }
    try {
      Files.deleteIfExists(file(id));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete cache file of " + id.toShortHex(), e);
    }
  }
}
