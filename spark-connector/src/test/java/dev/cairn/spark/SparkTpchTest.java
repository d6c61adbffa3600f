package dev.cairn.spark;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.tpchdata.QueryOrder;
import dev.cairn.tpchdata.ResultMatch;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.Column;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 22 TPC-H queries, as the specification prints them, through Spark SQL over the Cairn
 * catalog (tables published to 3 real donors at scale factor 0.01), each answer compared with
 * DuckDB's on the same generated data by tpch-data's {@code ResultMatch}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTpchTest {
  private static final double SCALE = 0.01;
  private static final String SCHEMA = "tpch";

  private SparkRig rig;
  private Connection duckdb;

  @BeforeAll
  void publishAndLoad() throws Exception {
    rig = SparkRig.start("cairn-spark-tpch");
    Map<TpchTable, Path> csv = TpchGenerator.writeCsv(rig.dir().resolve("csv"), SCALE);
    for (TpchTable table : TpchTable.values()) {
      // 1 MiB batches: lineitem spans several, so its queries read several partitions.
      rig.publish(SCHEMA, table.tableName(), schemaSpec(table), csv.get(table), 1L << 20);
    }
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    TpchGenerator.loadInto(duckdb, SCALE);
    rig.spark().conf().set("spark.sql.catalog.cairn.partitionBytes", "1");
    rig.spark().sql("USE cairn." + SCHEMA);
  }

  private static String schemaSpec(TpchTable table) {
    StringJoiner spec = new StringJoiner(", ");
    for (Column column : table.schema().columns()) {
      spec.add(column.name() + " " + column.type().toSql()
          + (column.nullable() ? "" : " NOT NULL"));
    }
    return spec.toString();
  }

  @AfterAll
  void stop() throws Exception {
    if (duckdb != null) {
      duckdb.close();
    }
    if (rig != null) {
      rig.close();
    }
  }

  static IntStream queries() {
    return IntStream.rangeClosed(1, TpchQueries.COUNT);
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void matchesDuckDb(int query) throws Exception {
    String sql = TpchQueries.text(query);
    Dataset<Row> result = rig.spark().sql(sql);
    StructType types = result.schema();
    List<List<Object>> actual = new ArrayList<>();
    for (Row row : result.collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        values.add(normalise(row.get(i)));
      }
      actual.add(values);
    }
    QueryOrder order = QueryOrder.of(sql);
    List<String> labels;
    List<List<Object>> expected;
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      labels = ResultMatch.labels(rows);
      expected = atSparkScales(ResultMatch.rows(rows), types);
    }
    assertNull(ResultMatch.difference(expected, actual, order, labels,
        () -> atSparkScales(duckDbRows(order.withoutLimit()), types)), "q" + query
        + " wrong rows");
    assertTrue(!expected.isEmpty(), "q" + query + " returns rows at SF " + SCALE);
  }

  private List<List<Object>> duckDbRows(String sql) {
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return ResultMatch.rows(rows);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * DuckDB's numbers rounded (half up) to the scale of Spark's DECIMAL result column, as Spark's
   * type rules round: avg of a DECIMAL(15,2) is a DECIMAL(19,6) in Spark and a DOUBLE in
   * DuckDB, so q1's avg(l_discount) differs in the seventh significant digit by rule, not by
   * data. Only the reference is rounded; Spark's answer is compared as it is.
   */
  private static List<List<Object>> atSparkScales(List<List<Object>> rows, StructType types) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      List<Object> rounded = new ArrayList<>(row);
      for (int i = 0; i < rounded.size() && i < types.fields().length; i++) {
        if (types.fields()[i].dataType() instanceof DecimalType decimal
            && rounded.get(i) instanceof BigDecimal value) {
          rounded.set(i, value.setScale(decimal.scale(), RoundingMode.HALF_UP));
        }
      }
      out.add(rounded);
    }
    return out;
  }

  /** Spark's values as tpch-data's ResultMatch reads JDBC's: numbers as BigDecimal. */
  private static Object normalise(Object value) {
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return value;
    }
    if (value instanceof Number number && !(value instanceof BigDecimal)) {
      return new BigDecimal(number.toString());
    }
    return value;
  }
}
