package dev.cairn.calcite.runtime;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Units;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The cache directories live runtimes of this JVM use, with the bound each keeps them to.
 *
 * <p>A directory's files are bounded by its runtime's {@code cache.size} (a file leaves with its
 * cache entry), so runtimes sharing one must agree on it: with two bounds, each cache would
 * evict files the other counts, and the directory would keep neither bound. Runtimes that
 * differ only in other settings (DuckDB threads or memory, connect timeout, node key) may share
 * a directory, as two processes may.
 */
final class CacheDirs {
  /** A directory in use: the bound its runtimes keep, and how many runtimes use it. */
  private record Use(long cacheBytes, int runtimes) { }

  private static final Map<Path, Use> IN_USE = new HashMap<>();

  private CacheDirs() {}

  /**
   * Counts one more runtime over {@code dir} (absolute, normalised) with the bound {@code
   * cacheBytes}; throws {@code BAD_CONFIG}, naming both bounds and the fix, if live runtimes use
   * it with another bound.
   */
  static synchronized void claim(Path dir, long cacheBytes) {
    Use use = IN_USE.get(dir);
    if (use != null && use.cacheBytes() != cacheBytes) {
      throw new CairnException(ErrorCode.BAD_CONFIG, "cache.dir " + dir + " is in use in this"
          + " JVM by a Cairn runtime with cache.size " + size(use.cacheBytes()) + ", and this"
          + " connection asks for cache.size " + size(cacheBytes) + ": one directory keeps one"
          + " bound. Give this connection cache.size=" + use.cacheBytes() + " (the live one),"
          + " or another cache.dir, or close the other connections or data source first");
    }
    IN_USE.put(dir, new Use(cacheBytes, use == null ? 1 : use.runtimes() + 1));
  }

  /** Counts one runtime less over {@code dir}; the last one frees it for any bound. */
  static synchronized void release(Path dir) {
    Use use = IN_USE.get(dir);
    if (use == null) {
      return;
    }
    if (use.runtimes() <= 1) {
      IN_USE.remove(dir);
    } else {
      IN_USE.put(dir, new Use(use.cacheBytes(), use.runtimes() - 1));
    }
  }

  private static String size(long bytes) {
    return bytes + " bytes (" + Units.formatSize(bytes) + ")";
  }
}
