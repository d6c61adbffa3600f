package dev.cairn.wire;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a server's data directory, held while the server runs, so that two
 * processes (or two servers in one JVM) never share one directory: a second donor on the same
 * {@code store/} would double-charge quotas and race on renames, a second metadata service on
 * the same {@code heads.log} would interleave appends.
 *
 * <p>The lock is an operating-system file lock ({@link FileChannel#tryLock}) on the file
 * {@value #LOCK_FILE} inside the directory. The OS drops it when the process dies, even by
 * {@code kill -9}, so a stale lock file never blocks a restart; the file itself stays and is
 * harmless.
 */
public final class DirectoryLock implements AutoCloseable {
  /** Name of the lock file inside a locked data directory. */
  public static final String LOCK_FILE = "lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code directory} (creating it if absent) for a server described as {@code owner}
   * (e.g. "cairn server", "cairn meta"). IO_ERROR saying the directory is in use when another
   * process or another server in this JVM holds it, or IO_ERROR naming the cause when the
   * directory cannot be created or written.
   */
  public static DirectoryLock acquire(Path directory, String owner) {
    requireNonNull(directory, "directory");
    requireNonNull(owner, "owner");
    FileChannel channel = null;
    try {
      Files.createDirectories(directory);
      channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        throw new CairnException(ErrorCode.IO_ERROR, "data directory " + directory
            + " is in use by another running " + owner + "; stop that one or give this one "
            + "a data directory of its own");
      }
      return new DirectoryLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new CairnException(ErrorCode.IO_ERROR, "cannot lock data directory " + directory
          + " for " + owner + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Returns the lock, or null when another process or this JVM already holds it. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by another server in this JVM: the same refusal
    }
  }

  /** Releases the lock; the next server may take the directory. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it too.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing more to release.
    }
  }
}
