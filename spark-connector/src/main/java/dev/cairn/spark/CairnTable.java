package dev.cairn.spark;

import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.manifest.Manifest;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * One version of a Cairn table as Spark reads it: the head verified once on the driver when the
 * table was resolved, so every scan and every executor reads the same batches.
 */
final class CairnTable implements SupportsRead {
  private final List<String> metaServices;
  private final VerifiedHead head;
  private final StructType schema;
  private final Map<String, String> defaults;

  /**
   * Creates the table of {@code head}; {@code defaults} are read options a scan's own
   * options override (the catalog's, e.g. {@code spark.sql.catalog.cairn.partitionBytes}).
   */
  CairnTable(List<String> metaServices, VerifiedHead head, Map<String, String> defaults) {
    this.metaServices = List.copyOf(metaServices);
    this.head = head;
    this.defaults = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    this.defaults.putAll(defaults);
    this.schema = SparkTypes.of(head.signed().manifest().schema());
  }

  @Override
  public String name() {
    return head.schema() + "." + head.table() + "$v" + head.version();
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public String version() {
    return Long.toString(head.version());
  }

  @Override
  public Map<String, String> properties() {
    Manifest manifest = head.signed().manifest();
    return Map.of("cairn.version", Long.toString(head.version()),
        "cairn.head", head.id().toHex(),
        "cairn.batches", Integer.toString(manifest.batches().size()),
        "cairn.redundancy", manifest.redundancy().toString());
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    Map<String, String> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    merged.putAll(defaults);
    merged.putAll(options);
    return new CairnScanBuilder(metaServices, head, ScanOptions.of(merged));
  }
}
