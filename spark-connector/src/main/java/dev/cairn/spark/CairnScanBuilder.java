package dev.cairn.spark;

import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Takes what Spark pushes down: the columns the query reads (only those are decoded) and its
 * filters (batches whose signed statistics rule every row out are never fetched). Filters stay
 * Spark's to apply to rows too, since statistics skip whole batches only.
 */
final class CairnScanBuilder implements ScanBuilder, SupportsPushDownFilters,
    SupportsPushDownRequiredColumns {
  private final List<String> metaServices;
  private final VerifiedHead head;
  private final ScanOptions options;
  private final TableSchema schema;
  private final StatsFilter stats;
  private int[] selected;
  private Filter[] pushed = new Filter[0];

  CairnScanBuilder(List<String> metaServices, VerifiedHead head, ScanOptions options) {
    this.metaServices = metaServices;
    this.head = head;
    this.options = options;
    this.schema = head.signed().manifest().schema();
    this.stats = new StatsFilter(schema);
    this.selected = new int[schema.size()];
    for (int i = 0; i < selected.length; i++) {
      selected[i] = i;
    }
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    List<Filter> usable = new ArrayList<>();
    for (Filter filter : filters) {
      if (stats.canPrune(filter)) {
        usable.add(filter);
      }
    }
    pushed = usable.toArray(new Filter[0]);
    return filters;
  }

  @Override
  public Filter[] pushedFilters() {
    return pushed.clone();
  }

  @Override
  public void pruneColumns(StructType required) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      String name = schema.column(i).name();
      for (StructField field : required.fields()) {
        if (field.name().equals(name)) {
          keep.add(i);
          break;
        }
      }
    }
    selected = keep.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public Scan build() {
    return new CairnScan(metaServices, head, options, selected, pushed, stats);
  }
}
