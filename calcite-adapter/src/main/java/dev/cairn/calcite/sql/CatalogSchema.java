package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.CairnCatalog;
import dev.cairn.calcite.CatalogTable;
import dev.cairn.calcite.SystemTables;
import dev.cairn.calcite.VersionedName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * Calcite schemas over a {@link CairnCatalog}, resolved lazily so that only the tables a query
 * names are asked for. The root holds one sub-schema per catalog schema plus the system schema.
 *
 * <p>Names: the parser folds unquoted identifiers to lower case and matching is exact, like
 * PostgreSQL. So that unquoted names still reach tables published with capitals, a lower-case
 * name that matches nothing exactly matches the one name equal to it ignoring case (if exactly
 * one exists). A table name {@code t$v<N>} asks for version N of {@code t}.
 */
final class CatalogSchema {
  private CatalogSchema() {}

  /** Returns the root schema: every catalog schema and the system schema. */
  static Schema root(CairnCatalog catalog, RelationNames names) {
    requireNonNull(catalog, "catalog");
    requireNonNull(names, "names");
    return new AbstractSchema() {
      @Override
      public Lookup<? extends Schema> subSchemas() {
        return new LazyLookup<>(() -> schemaNames(catalog),
            name -> schema(catalog, name, names));
      }
    };
  }

  private static Set<String> schemaNames(CairnCatalog catalog) {
    Set<String> names = new LinkedHashSet<>(catalog.schemaNames());
    names.addAll(SystemTables.BY_SCHEMA.keySet());
    return names;
  }

  private static Schema schema(CairnCatalog catalog, String name, RelationNames names) {
    if (SystemTables.BY_SCHEMA.containsKey(name)) {
      return new AbstractSchema() {
        @Override
        public Lookup<Table> tables() {
          return new LazyLookup<>(SystemTables.BY_SCHEMA.get(name)::keySet,
              n -> SystemTables.table(name, n).map(t -> new CatalogRelTable(t, true, names))
                  .orElse(null));
        }
      };
    }
    if (!catalog.mayHaveSchema(name)) {
      return null;
    }
    return new AbstractSchema() {
      @Override
      public Lookup<Table> tables() {
        return new LazyLookup<>(() -> new LinkedHashSet<>(catalog.tableNames(name)),
            table -> resolve(catalog, name, table, names));
      }
    };
  }

  private static Table resolve(CairnCatalog catalog, String schema, String table,
      RelationNames names) {
    Optional<CatalogTable> found = catalog.table(schema, table);
    Optional<VersionedName> versioned = VersionedName.parse(schema, table);
    if (found.isEmpty() && versioned.isPresent()) {
      String base = versioned.get().table();
      if (!catalog.tableNames(schema).contains(base)) {
        base = uniqueIgnoringCase(catalog.tableNames(schema), base);
      }
      if (base != null) {
        found = catalog.table(schema, base, versioned.get().version());
      }
    }
    return found.map(t -> new CatalogRelTable(t, false, names)).orElse(null);
  }

  /** Returns the one name equal to {@code lower} ignoring case, if {@code lower} is folded. */
  static String uniqueIgnoringCase(Iterable<String> names, String lower) {
    if (!lower.equals(lower.toLowerCase(Locale.ROOT))) {
      return null;
    }
    String match = null;
    for (String n : names) {
      if (n.equalsIgnoreCase(lower)) {
        if (match != null) {
          return null;
        }
        match = n;
      }
    }
    return match;
  }

  /** A lookup that resolves names on demand and lists them only when Calcite asks. */
  private static final class LazyLookup<T> implements Lookup<T> {
    private final java.util.function.Supplier<Set<String>> names;
    private final Function<String, T> resolver;

    LazyLookup(java.util.function.Supplier<Set<String>> names, Function<String, T> resolver) {
      this.names = names;
      this.resolver = resolver;
    }

    @Override
    public T get(String name) {
      T found = resolver.apply(name);
      if (found == null && !name.contains("$")) {
        String other = uniqueIgnoringCase(names.get(), name);
        if (other != null) {
          found = resolver.apply(other);
        }
      }
      return found;
    }

    @Override
    public Named<T> getIgnoreCase(String name) {
      for (String n : names.get()) {
        if (n.equalsIgnoreCase(name)) {
          T found = resolver.apply(n);
          return found == null ? null : new Named<>(n, found);
        }
      }
      T found = resolver.apply(name);
      return found == null ? null : new Named<>(name, found);
    }

    @Override
    public Set<String> getNames(LikePattern pattern) {
      Set<String> out = new LinkedHashSet<>();
      for (String n : names.get()) {
        if (pattern.matcher().apply(n)) {
          out.add(n);
        }
      }
      return out;
    }
  }

}
