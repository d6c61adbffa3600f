package dev.cairn.calcite.runtime;

import dev.cairn.calcite.SystemTables;
import dev.cairn.client.fetch.HolderDirectory;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.Column;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Materialises the system tables ({@link SystemTables}) of one snapshot into temporary tables
 * of the session's DuckDB connection ({@code temp.main."<schema>$<name>"}, e.g.
 * {@code "cairn$tables"}, {@code "information_schema$columns"}): temporary tables are
 * private to a connection, so concurrent sessions with different snapshots never see each
 * other's rows. A session's translated SQL reads {@code temp.main."<schema>$<name>" AS
 * "<name>"}, the name parts {@link #relation} gives.
 */
final class SystemTableWriter {
  private SystemTableWriter() {}

  /**
   * Returns the name parts of the temporary relation that holds table {@code name} of system
   * schema {@code of}.
   */
  static List<String> relation(String of, String name) {
    return List.of("temp", "main", temporaryName(of, name));
  }

  private static String temporaryName(String of, String name) {
    return of + "$" + name;
  }

  /** Creates and fills table {@code name} of system schema {@code of} from {@code snapshot}. */
  static void write(Connection connection, String of, String name, CatalogSnapshot snapshot,
      HolderDirectory holders, Function<String, Double> rttMillis) throws SQLException {
    TableSchema schema = SystemTables.BY_SCHEMA.get(of).get(name);
    List<Object[]> rows = of.equals(SystemTables.INFORMATION_SCHEMA)
        ? InformationSchemaRows.rows(name, snapshot)
        : cairnRows(name, snapshot, holders, rttMillis);
    StringBuilder create = new StringBuilder("CREATE OR REPLACE TEMP TABLE ")
        .append(Sql.quote(temporaryName(of, name))).append(" (");
    StringBuilder insert = new StringBuilder("INSERT INTO ").append(Sql.quote(relation(of, name)))
        .append(" VALUES (");
    for (int i = 0; i < schema.size(); i++) {
      Column c = schema.column(i);
      create.append(i == 0 ? "" : ", ").append(Sql.quote(c.name())).append(' ')
          .append(Sql.typeOf(c));
      insert.append(i == 0 ? "?" : ", ?");
    }
    try (Statement s = connection.createStatement()) {
      s.execute(create.append(')').toString());
    }
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement p = connection.prepareStatement(insert.append(')').toString())) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          p.setObject(i + 1, row[i]);
        }
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  private static List<Object[]> cairnRows(String name, CatalogSnapshot snapshot,
      HolderDirectory holders, Function<String, Double> rttMillis) {
    switch (name) {
      case "tables": return tables(snapshot);
      case "versions": return versions(snapshot);
      case "nodes": return nodes(holders, rttMillis);
      case "batches": return batches(snapshot, holders);
      default: throw new IllegalArgumentException("no system table " + name);
    }
  }

  private static List<Object[]> tables(CatalogSnapshot snapshot) {
    List<Object[]> rows = new ArrayList<>();
    for (VerifiedHead h : snapshot.heads()) {
      Manifest m = h.signed().manifest();
      long expiresAt = h.expiresAtMillis();
      rows.add(new Object[] {h.schema(), h.table(), h.version(), rowCount(m), byteCount(m),
          m.batches().size(), m.writerKey().fingerprint().toString(),
          new Timestamp(m.createdAtMillis()),
          expiresAt == Long.MAX_VALUE ? null : new Timestamp(expiresAt)});
    }
    return rows;
  }

  private static List<Object[]> versions(CatalogSnapshot snapshot) {
    List<Object[]> rows = new ArrayList<>();
    for (VerifiedHead head : snapshot.heads()) {
      for (VerifiedHead v : snapshot.versions(head.schema(), head.table())) {
        Manifest m = v.signed().manifest();
        ContentId parent = m.parentId();
        rows.add(new Object[] {v.schema(), v.table(), v.version(), v.id().toHex(),
            parent == null ? null : parent.toHex(), new Timestamp(m.createdAtMillis()),
            rowCount(m), m.batches().size()});
      }
    }
    return rows;
  }

  private static List<Object[]> nodes(HolderDirectory holders,
      Function<String, Double> rttMillis) {
    List<Object[]> rows = new ArrayList<>();
    for (NodeInfo n : holders.nodes()) {
      rows.add(new Object[] {HexFormat.of().formatHex(n.nodeKey()), n.address(), n.live(),
          n.usedBytes(), n.capacityBytes(), n.blobCount(),
          n.live() ? rttMillis.apply(n.address()) : null, n.score()});
    }
    return rows;
  }

  private static List<Object[]> batches(CatalogSnapshot snapshot, HolderDirectory holders) {
    List<Object[]> rows = new ArrayList<>();
    for (VerifiedHead h : snapshot.heads()) {
      Manifest m = h.signed().manifest();
      if (m.redundancy().isErasure()) {
        rows.addAll(stripeRows(h, m, holders));
        continue;
      }
      List<ContentId> ids = m.batches().stream().map(BatchRef::id).toList();
      List<BlobPlacement> placements = ids.isEmpty() ? List.of()
          : holders.placements(m.redundancy().replicas(), ids);
      for (int i = 0; i < ids.size(); i++) {
        BatchRef b = m.batches().get(i);
        rows.add(new Object[] {h.schema(), h.table(), h.version(), b.id().toHex(),
            b.rowCount(), b.byteSize(), holders.describe(placements.get(i))});
      }
    }
    return rows;
  }

  /** Rows of an erasure-coded version: the holders are those of its shards, in shard order. */
  private static List<Object[]> stripeRows(VerifiedHead h, Manifest m, HolderDirectory holders) {
    List<Object[]> rows = new ArrayList<>();
    for (BatchRef b : m.batches()) {
      List<String> where = new ArrayList<>();
      for (BlobPlacement shard : holders.placements(m.redundancy().shardCount(), b.shardIds())) {
        where.add(holders.describe(shard));
      }
      rows.add(new Object[] {h.schema(), h.table(), h.version(), b.id().toHex(),
          b.rowCount(), b.byteSize(), String.join(",", where)});
    }
    return rows;
  }

  private static long rowCount(Manifest m) {
    return m.batches().stream().mapToLong(BatchRef::rowCount).sum();
  }

  private static long byteCount(Manifest m) {
    return m.batches().stream().mapToLong(BatchRef::byteSize).sum();
  }
}
