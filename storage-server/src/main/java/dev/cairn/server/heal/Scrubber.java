package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.store.BlobStore;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-hashes every held blob once per {@code scrubInterval}, reading at most {@code
 * scrubBytesPerSecond}, so disk rot is found before a reader or a peer trips over it.
 *
 * <p>Each pass first stats every held file ({@link BlobStore#checkAllOnDisk}: cheap, so files
 * deleted or truncated behind the donor's back leave the index within one interval), then
 * re-hashes. A blob whose bytes no longer hash to its id is moved to quarantine ({@link
 * BlobStore#quarantine}: never served again, kept for inspection). Either loss goes to the
 * store's loss listener, which counts it, releases its ledger charge and asks anti-entropy for
 * a round at once: the blob is now missing here, so if this node is one of its targets it
 * pulls a good copy from a peer. Readers never depended on the scrubber: they verify every
 * byte anyway.
 */
public final class Scrubber implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Scrubber.class.getName());
  /** Bytes read per rate-limiter step. */
  static final int CHUNK_BYTES = 1 << 20;
  /** Ids listed per page while walking the store. */
  static final int PAGE_IDS = 1024;

  private final BlobStore store;
  private final RateLimiter limiter;
  private final HealCounters counters;
  private final long intervalMs;
  private final ScheduledExecutorService executor;

  /** Creates a scrubber of {@code store}; losses go to the store's loss listener. */
  public Scrubber(BlobStore store, HealConfig config, HealCounters counters) {
    this.store = requireNonNull(store, "store");
    this.limiter = new RateLimiter(config.scrubBytesPerSecond());
    this.counters = requireNonNull(counters, "counters");
    this.intervalMs = config.scrubInterval().toMillis();
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cairn-scrub");
      thread.setDaemon(true);
      thread.setPriority(Thread.MIN_PRIORITY);
      return thread;
    });
  }

  /** Starts passes, the first after one interval (a restart should not re-read everything). */
  public void start() {
    executor.scheduleWithFixedDelay(this::passQuietly, intervalMs, intervalMs,
        TimeUnit.MILLISECONDS);
  }

  private void passQuietly() {
    try {
      pass();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "scrub pass failed; the next one starts in " + intervalMs + " ms",
          e);
    }
  }

  /** Scrubs every blob once; returns how many were lost (vanished or corrupt). */
  public int pass() throws InterruptedException {
    int corrupt = store.checkAllOnDisk();
    ContentId after = null;
    while (true) {
      List<ContentId> page = store.list(after, PAGE_IDS);
      for (ContentId id : page) {
        corrupt += scrubOne(id) ? 0 : 1;
      }
      if (page.size() < PAGE_IDS) {
        break;
      }
      after = page.get(page.size() - 1);
    }
    counters.scrubPass();
    return corrupt;
  }

  /** Returns false if the blob was corrupt and has been quarantined. */
  private boolean scrubOne(ContentId id) throws InterruptedException {
    ChunkTree.Builder tree = ChunkTree.builder();
    long bytes = 0;
    try (FileChannel channel = FileChannel.open(store.file(id), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
      while (true) {
        buffer.clear();
        int read = channel.read(buffer);
        if (read < 0) {
          break;
        }
        limiter.acquire(read);
        buffer.flip();
        tree.update(buffer);
        bytes += read;
      }
    } catch (NoSuchFileException | CairnException gone) {
      // Dropped or quarantined meanwhile, or deleted behind our back: the stat tells which,
      // and a loss reaches the store's listener from there.
      return store.checkOnDisk(id) || !store.contains(id);
    } catch (IOException e) {
      LOG.warning("scrub cannot read blob " + id.toShortHex() + ": " + e);
      return quarantine(id, "unreadable: " + e.getMessage());
    }
    counters.scrubbed(bytes);
    ContentId actual = tree.build().root();
    return actual.equals(id) || quarantine(id, "its bytes hash to " + actual.toShortHex());
  }

  private boolean quarantine(ContentId id, String why) {
    try {
      store.quarantine(id, "scrub: " + why);
    } catch (IOException e) {
      LOG.warning("scrub: cannot quarantine corrupt blob " + id.toShortHex() + ": " + e);
    }
    return false;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
