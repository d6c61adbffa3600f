package dev.cairn.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a Spark user runs, in a JVM of its own whose class path is Spark's plus the shaded
 * connector jar and nothing else of Cairn: reads {@code args[1]} from the metadata service
 * {@code args[0]} by format and by catalog, and prints one line {@code count sum}.
 */
public final class ShadedJarMain {
  private ShadedJarMain() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("shaded")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.catalog.cairn", "dev.cairn.spark.CairnCatalog")
        .config("spark.sql.catalog.cairn.meta", args[0])
        .getOrCreate();
    try {
      Row format = spark.read().format("cairn").option("meta", args[0]).load(args[1])
          .selectExpr("count(id)", "sum(id)").collectAsList().get(0);
      List<Row> catalog = spark.sql("select count(id), sum(id) from cairn." + args[1])
          .collectAsList();
      System.out.println("format " + format.getLong(0) + " " + format.getLong(1));
      System.out.println("catalog " + catalog.get(0).getLong(0) + " " + catalog.get(0).getLong(1));
    } finally {
      spark.stop();
    }
  }
}
