package dev.cairn.spark;

import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.NamespaceChange;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * Cairn as a Spark catalog, read-only: {@code spark.sql.catalog.cairn=dev.cairn.spark.CairnCatalog}
 * with {@code spark.sql.catalog.cairn.meta=host:port,...}. Writer schemas are namespaces, so
 * {@code SELECT ... FROM cairn.alice.trips}, {@code SHOW TABLES IN cairn.alice}, and {@code
 * VERSION AS OF 3} or {@code cairn.alice.`trips$v3`} for an older version. Tables are published
 * with {@code cairn publish}, never created here.
 */
public final class CairnCatalog implements TableCatalog, SupportsNamespaces {
  private String name;
  private List<String> meta;
  private Map<String, String> options;

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    this.name = name;
    this.meta = CairnClients.parseMetaOption(options.get(CairnDataSource.META));
    this.options = Map.copyOf(options.asCaseSensitiveMap());
  }

  @Override
  public String name() {
    return name;
  }

  private MetaClient client() {
    return CairnClients.of(meta).meta();
  }

  @Override
  public Identifier[] listTables(String[] namespace) throws NoSuchNamespaceException {
    String schema = schemaOf(namespace);
    List<Identifier> out = new ArrayList<>();
    for (VerifiedHead head : client().tables().heads()) {
      if (head.schema().equals(schema)) {
        out.add(Identifier.of(namespace, head.table()));
      }
    }
    if (out.isEmpty()) {
      throw new NoSuchNamespaceException(namespace);
    }
    return out.toArray(new Identifier[0]);
  }

  @Override
  public Table loadTable(Identifier ident) throws NoSuchTableException {
    return load(ident, refOf(ident));
  }

  @Override
  public Table loadTable(Identifier ident, String version) throws NoSuchTableException {
    return load(ident, refOf(ident).atVersion(TableRef.parseVersion(version)));
  }

  private TableRef refOf(Identifier ident) throws NoSuchTableException {
    if (ident.namespace().length != 1) {
      throw new NoSuchTableException(ident);
    }
    return TableRef.of(ident.namespace()[0], ident.name());
  }

  private Table load(Identifier ident, TableRef ref) throws NoSuchTableException {
    try {
      return new CairnTable(meta, Heads.read(client(), ref), options);
    } catch (CairnException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        throw new NoSuchTableException(ident);
      }
      throw e;
    }
  }

  @Override
  public Table alterTable(Identifier ident, TableChange... changes) {
    throw readOnly();
  }

  @Override
  public boolean dropTable(Identifier ident) {
    throw readOnly();
  }

  @Override
  public void renameTable(Identifier oldIdent, Identifier newIdent) {
    throw readOnly();
  }

  @Override
  public String[][] listNamespaces() {
    TreeSet<String> schemas = new TreeSet<>();
    for (VerifiedHead head : client().tables().heads()) {
      schemas.add(head.schema());
    }
    return schemas.stream().map(s -> new String[] {s}).toArray(String[][]::new);
  }

  @Override
  public String[][] listNamespaces(String[] namespace) throws NoSuchNamespaceException {
    loadNamespaceMetadata(namespace);
    return new String[0][];
  }

  @Override
  public Map<String, String> loadNamespaceMetadata(String[] namespace)
      throws NoSuchNamespaceException {
    String schema = schemaOf(namespace);
    for (VerifiedHead head : client().tables().heads()) {
      if (head.schema().equals(schema)) {
        return Map.of();
      }
    }
    throw new NoSuchNamespaceException(namespace);
  }

  private static String schemaOf(String[] namespace) throws NoSuchNamespaceException {
    if (namespace.length != 1) {
      throw new NoSuchNamespaceException(namespace);
    }
    return namespace[0];
  }

  @Override
  public void createNamespace(String[] namespace, Map<String, String> metadata) {
    throw readOnly();
  }

  @Override
  public void alterNamespace(String[] namespace, NamespaceChange... changes) {
    throw readOnly();
  }

  @Override
  public boolean dropNamespace(String[] namespace, boolean cascade) {
    throw readOnly();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException(
        "Cairn tables are read-only in Spark; publish them with cairn publish");
  }
}
