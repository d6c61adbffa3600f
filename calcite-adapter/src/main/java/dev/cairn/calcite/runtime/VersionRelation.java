package dev.cairn.calcite.runtime;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * Chooses the relation a query reads one table version through, once the batches it needs are
 * resident and pinned: the version's merged table if one holds the columns it reads (filtered
 * to the batches it kept, if pruning dropped some), else the UNION ALL of its batch tables.
 *
 * <p>A query that pruned batches reads the merged table only if the batches it kept are one
 * run of positions (filtered on the ordinal), else their union.
 *
 * <p>A version is merged on its first read that finds every batch already resident (a warm
 * read; a cold query is not slowed by a copy), when the query reads all its batches (so all
 * are pinned while the copy is made), and only while the cache has room for the copy. The
 * merged table holds every column resident in all the batches, so queries reading other
 * columns of the same version share it; a wider one built later replaces the narrower ones.
 * While one session builds a merged table, others read the union: every answer is exact.
 */
final class VersionRelation {
  private static final Logger LOG = Logger.getLogger(VersionRelation.class.getName());
  /** Fewer batches than this are read through their union: there is no join cost to save. */
  static final int MERGE_MIN_BATCHES = 2;

  private VersionRelation() {}

  /**
   * Returns the SELECT a query reads {@code columns} of the batches at {@code positions}
   * (ascending, distinct) of the version {@code all} through; pins a merged table it picks or builds
   * through {@code loader}. {@code warm}: the needed batches were resident before this query.
   */
  static String select(CairnRuntime runtime, DuckDBConnection connection,
      SessionCounters counters, BatchLoader loader, BatchColumns layout, List<BatchRef> all,
      List<Integer> positions, BitSet columns, boolean warm) {
    TableSchema schema = layout.table();
    Set<Integer> columnSet = columns.stream().boxed().collect(Collectors.toSet());
    List<ContentId> ids = all.stream().map(BatchRef::id).toList();
    boolean everyBatch = positions.size() == all.size();
    int first = positions.isEmpty() ? 0 : positions.get(0);
    int last = positions.isEmpty() ? -1 : positions.get(positions.size() - 1);
    // One run of positions reads the merged table filtered on the ordinal (zone maps skip the
    // rest); scattered ones read their union: an IN list over the merged table measured
    // slower than the union of the batches it keeps (UnionScanBenchmark).
    boolean oneRun = !positions.isEmpty() && last - first + 1 == positions.size();
    if (all.size() >= MERGE_MIN_BATCHES && oneRun) {
      MergedTables merged = runtime.store.merged();
      Optional<MergedTables.Merged> found = merged.covering(schema, ids, columns);
      if (found.isPresent() && loader.pinMerged(found.get().id())) {
        counters.mergedReads.incrementAndGet();
        return DuckDbStore.selectMerged(schema, found.get(), first, last, columnSet);
      }
      if (warm && everyBatch && mergeable(schema)) {
        MergedTables.Merged built = build(runtime, connection, loader, layout, ids);
        if (built != null) {
          counters.mergesBuilt.incrementAndGet();
          counters.mergedReads.incrementAndGet();
          return DuckDbStore.selectMerged(schema, built, first, last, columnSet);
        }
      }
    }
    return DuckDbStore.select(layout, positions.stream().map(ids::get).toList(), columnSet);
  }

  private static boolean mergeable(TableSchema schema) {
    for (int i = 0; i < schema.size(); i++) {
      if (schema.column(i).name().equalsIgnoreCase(MergedTables.ORDINAL)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Merges the pinned batches {@code ids} with every column resident in all of them, accounts
   * for the copy in the cache (pinned for this query) and registers it; returns null (and
   * leaves nothing behind) if another session is building it, it does not fit, or DuckDB fails.
   */
  private static MergedTables.Merged build(CairnRuntime runtime, DuckDBConnection connection,
      BatchLoader loader, BatchColumns layout, List<ContentId> ids) {
    TableSchema schema = layout.table();
    // Table columns every batch can give: resident there, or not stored (a NULL constant).
    BitSet columns = new BitSet();
    columns.set(0, schema.size());
    for (ContentId id : ids) {
      BitSet resident = runtime.cache.residentColumns(id);
      for (int c = columns.nextSetBit(0); c >= 0; c = columns.nextSetBit(c + 1)) {
        if (!layout.readable(id, c, resident)) {
          columns.clear(c);
        }
      }
    }
    MergedTables merged = runtime.store.merged();
    ContentId id = MergedTables.mergedId(schema, ids, columns);
    if (columns.isEmpty() || !merged.beginBuilding(id)) {
      return null;
    }
    try {
      MergedTables.Merged built = DuckDbStore.merge(connection, layout, ids, columns);
      if (!runtime.cache.admitDerived(id, ids, columns)) {
        drop(connection, built);
        return null;
      }
      loader.adoptPin(id);
      merged.register(built);
      for (MergedTables.Merged narrower : merged.narrowerThan(schema, ids, columns)) {
        runtime.cache.evictIfUnpinned(narrower.id()); // the wider one serves its queries now
      }
      return built;
    } catch (SQLException e) {
      LOG.log(Level.FINE, "merging " + ids.size() + " batches failed; reading their union", e);
      return null;
    } finally {
      merged.endBuilding(id);
    }
  }

  private static void drop(DuckDBConnection connection, MergedTables.Merged built) {
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + built.table());
    } catch (SQLException e) {
      LOG.log(Level.FINE, "dropping an unused merged table", e);
    }
  }
}
