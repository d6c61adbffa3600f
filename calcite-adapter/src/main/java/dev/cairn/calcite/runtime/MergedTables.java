package dev.cairn.calcite.runtime;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The merged tables of one DuckDB store: for a list of batches (a table version's, in manifest
 * order) and a set of their columns, one DuckDB table {@code "cairn_cache"."m_<id hex>"} that
 * holds the rows of every batch in that order plus the batch's position in the list
 * ({@link #ORDINAL}), so DuckDB reads a version as one relation instead of a UNION ALL of one
 * table per batch (a selective join costs 5.9× through 123 tables, {@code
 * UnionScanBenchmark}) and a query that pruned batches filters on the position (DuckDB's zone
 * maps skip the rest).
 *
 * <p>A merged table is registered here only after the statement that built it committed, so a
 * query never reads a half-built one; it is accounted in the batch cache as a derived entry
 * of its batches and dropped with the first of them ({@link DuckDbStore#evict}).
 */
final class MergedTables {
  /**
   * The column holding a row's batch position. A table with a column of this name (DuckDB
   * names ignore case) is never merged: it is read through the union of its batches.
   */
  static final String ORDINAL = "cairn$batch";

  /**
   * One merged table: its cache id, the table version schema it was read with, the batches it
   * holds in order, and the table columns it holds.
   */
  record Merged(ContentId id, TableSchema schema, List<ContentId> batches, BitSet columns) {
    /** Returns the DuckDB relation holding it. */
    String table() {
      return Sql.mergedTable(id);
    }
  }

  /** Merged tables by the key of their batch list. */
  private final Map<ContentId, List<Merged>> byBatches = new ConcurrentHashMap<>();
  private final Map<ContentId, Merged> byId = new ConcurrentHashMap<>();
  /** Merged ids some session is building now: others read the batches meanwhile. */
  private final Set<ContentId> building = ConcurrentHashMap.newKeySet();

  /**
   * Returns the key of a batch list read with a table schema: equal lists with equal schemas
   * share merged tables, whatever the version. The schema matters once a table evolved: the
   * same batches read as another version's columns (a wider type, an added column) differ.
   */
  static ContentId batchesKey(TableSchema schema, List<ContentId> batches) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(schema.toString().getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(schema.columnIds().toString().getBytes(StandardCharsets.US_ASCII));
    for (ContentId id : batches) {
      bytes.writeBytes(id.toHex().getBytes(StandardCharsets.US_ASCII));
    }
    return ContentId.sha256(bytes.toByteArray());
  }

  /** Returns the id of the merged table of {@code batches} with {@code columns} of {@code schema}. */
  static ContentId mergedId(TableSchema schema, List<ContentId> batches, BitSet columns) {
    StringBuilder key = new StringBuilder("merged ").append(batchesKey(schema, batches).toHex());
    columns.stream().forEach(i -> key.append(' ').append(i).append('=')
        .append(schema.column(i).name()).append(':').append(schema.column(i).type().toSql()));
    return ContentId.sha256(key.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the smallest registered merged table of exactly {@code batches} that holds every
   * column of {@code columns}.
   */
  Optional<Merged> covering(TableSchema schema, List<ContentId> batches, BitSet columns) {
    Merged best = null;
    for (Merged m : byBatches.getOrDefault(batchesKey(schema, batches), List.of())) {
      BitSet missing = (BitSet) columns.clone();
      missing.andNot(m.columns());
      if (missing.isEmpty() && m.batches().equals(batches) && m.schema().equals(schema)
          && (best == null || m.columns().cardinality() < best.columns().cardinality())) {
        best = m;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Returns the merged tables of {@code batches} whose columns are a strict subset of {@code columns}. */
  List<Merged> narrowerThan(TableSchema schema, List<ContentId> batches, BitSet columns) {
    List<Merged> out = new ArrayList<>();
    for (Merged m : byBatches.getOrDefault(batchesKey(schema, batches), List.of())) {
      BitSet extra = (BitSet) m.columns().clone();
      extra.andNot(columns);
      if (extra.isEmpty() && !m.columns().equals(columns)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Claims the building of {@code id}; false if it is registered or being built. */
  boolean beginBuilding(ContentId id) {
    return !byId.containsKey(id) && building.add(id);
  }

  /** Ends the building of {@code id}, successful or not. */
  void endBuilding(ContentId id) {
    building.remove(id);
  }

  /** Registers a merged table whose building committed; queries may read it from now on. */
  void register(Merged merged) {
    byId.put(merged.id(), merged);
    byBatches.compute(batchesKey(merged.schema(), merged.batches()), (k, list) -> {
      List<Merged> out = list == null ? new ArrayList<>() : new ArrayList<>(list);
      out.add(merged);
      return List.copyOf(out);
    });
  }

  /** Unregisters {@code id} if it is a merged table, and returns it. */
  Optional<Merged> unregister(ContentId id) {
    Merged merged = byId.remove(id);
    if (merged == null) {
      return Optional.empty();
    }
    byBatches.computeIfPresent(batchesKey(merged.schema(), merged.batches()), (k, list) -> {
      List<Merged> out = new ArrayList<>(list);
      out.remove(merged);
      return out.isEmpty() ? null : List.copyOf(out);
    });
    return Optional.of(merged);
  }

  /** Returns how many merged tables are registered (for tests and diagnostics). */
  int count() {
    return byId.size();
  }
}
