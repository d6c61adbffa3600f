package dev.cairn.calcite;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable in-memory {@link CairnCatalog}: every version of every table it was built with.
 * The head of a table is its highest version. Meant for tests and for fixed snapshots.
 */
public final class StaticCatalog implements CairnCatalog {
  /** schema -> table -> version -> table. */
  private final Map<String, Map<String, TreeMap<Long, CatalogTable>>> tables = new TreeMap<>();

  /** Creates a catalog holding exactly {@code versions}; later duplicates replace earlier ones. */
  public StaticCatalog(Collection<CatalogTable> versions) {
    for (CatalogTable t : requireNonNull(versions, "versions")) {
      tables.computeIfAbsent(t.schema(), s -> new TreeMap<>())
          .computeIfAbsent(t.table(), n -> new TreeMap<>())
          .put(t.version(), t);
    }
  }

  /** Creates a catalog holding exactly {@code versions}. */
  public static StaticCatalog of(CatalogTable... versions) {
    return new StaticCatalog(List.of(versions));
  }

  @Override
  public List<String> schemaNames() {
    return new ArrayList<>(tables.keySet());
  }

  @Override
  public List<String> tableNames(String schema) {
    Map<String, TreeMap<Long, CatalogTable>> inSchema = tables.get(schema);
    return inSchema == null ? List.of() : new ArrayList<>(inSchema.keySet());
  }

  @Override
  public Optional<CatalogTable> table(String schema, String table) {
    TreeMap<Long, CatalogTable> versions = versions(schema, table);
    return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
  }

  @Override
  public Optional<CatalogTable> table(String schema, String table, long version) {
    TreeMap<Long, CatalogTable> versions = versions(schema, table);
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
  }

  private TreeMap<Long, CatalogTable> versions(String schema, String table) {
    Map<String, TreeMap<Long, CatalogTable>> inSchema = tables.get(schema);
    return inSchema == null ? null : inSchema.get(table);
  }
}
