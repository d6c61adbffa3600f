package dev.cairn.spark;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * {@code spark.read.format("cairn").option("meta", "host:port,...").load("alice.trips")}: the
 * table's verified head (or the version {@code alice.trips$v3} or option {@code versionAsOf}
 * names) is read once, on the driver, when the DataFrame is created.
 */
public final class CairnDataSource implements TableProvider, DataSourceRegister {
  /** Option naming the metadata services, {@code host:port} comma-separated. */
  public static final String META = "meta";
  /** Option pinning the version read, as {@code VERSION AS OF} does. */
  public static final String VERSION_AS_OF = "versionAsOf";

  @Override
  public String shortName() {
    return "cairn";
  }

  // Spark makes a provider per load and asks it for the schema, then the table: the head read
  // for the schema is the one the table reads, so a version published in between changes
  // nothing.
  private CairnTable resolved;
  private Map<String, String> resolvedFor;

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    resolved = resolve(options);
    resolvedFor = options.asCaseSensitiveMap();
    return resolved.schema();
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning,
      Map<String, String> properties) {
    if (resolved != null && resolvedFor.equals(properties)) {
      return resolved;
    }
    return resolve(new CaseInsensitiveStringMap(properties));
  }

  @Override
  public boolean supportsExternalMetadata() {
    return false;
  }

  private static CairnTable resolve(CaseInsensitiveStringMap options) {
    List<String> meta = CairnClients.parseMetaOption(options.get(META));
    TableRef ref = TableRef.parse(options.get("path"));
    String version = options.get(VERSION_AS_OF);
    if (version != null) {
      ref = ref.atVersion(TableRef.parseVersion(version));
    }
    return new CairnTable(meta, Heads.read(CairnClients.of(meta).meta(), ref), options);
  }
}
