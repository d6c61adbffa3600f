package dev.cairn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The executor's verified blob cache, in Spark local mode (the driver JVM is the executor) over
 * a real local cluster: a repeated query fetches nothing and answers the same, a newer version
 * is read as itself, {@code cacheSize} 0 fetches every time, and a cache smaller than one
 * query's batches still answers right. Each test publishes rows of its own (so batch ids no
 * other test shares) and starts from an empty cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkBlobCacheTest {
  private static final String COLUMNS = "id BIGINT NOT NULL, amount DOUBLE, note VARCHAR";
  private static final int ROWS = 3000;
  private static final long SMALL = PublishRequest.BATCH_TARGET_BYTES_MIN;
  private static final String QUERY = "count(*)|sum(id)|sum(amount)|max(note)";

  private SparkRig rig;

  @BeforeAll
  void start() throws Exception {
    rig = SparkRig.start("cairn-spark-cache");
  }

  @AfterAll
  void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  @BeforeEach
  void emptyCache() {
    VerifiedBlobCache.SHARED.clear();
  }

  /** Rows whose every value depends on {@code tag}, so two tags share no batch. */
  private static String rows(String tag, int factor) {
    StringBuilder csv = new StringBuilder("id,amount,note\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append(i).append(',').append(i * factor + 0.5).append(',').append(tag).append('-')
          .append(i % 97).append('\n');
    }
    return csv.toString();
  }

  /** Reads the query's one row over {@code table} with extra reader options, in pairs. */
  private Row read(String table, String... options) {
    var reader = rig.spark().read().format("cairn").option("meta", rig.cluster().metaHostPort())
        .option("partitionBytes", "1"); // a task per batch: both local[2] threads use the cache
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    List<Row> rows = reader.load(table).selectExpr(QUERY.split("\\|")).collectAsList();
    assertEquals(1, rows.size());
    return rows.get(0);
  }

  private static void assertAnswer(Row row, String tag, int factor) {
    assertEquals((long) ROWS, row.getLong(0));
    assertEquals((long) ROWS * (ROWS - 1) / 2, row.getLong(1));
    assertEquals(factor * ((double) ROWS * (ROWS - 1) / 2) + ROWS * 0.5, row.getDouble(2), 1e-6);
    assertEquals(tag + "-96", row.getString(3));
  }

  @Test
  void aSecondIdenticalQueryFetchesNothingAndAnswersTheSame() throws Exception {
    PublishResult warm = rig.publish("carol", "warm", COLUMNS, rows("warm", 3), SMALL);
    assertTrue(warm.batches() >= 4, warm.batches() + " batches");
    long fetched = ReadCounters.fetchedBatches();
    long hits = ReadCounters.cacheHits();
    long misses = ReadCounters.cacheMisses();
    Row first = read("carol.warm");
    assertAnswer(first, "warm", 3);
    assertEquals(warm.batches(), ReadCounters.fetchedBatches() - fetched);
    assertEquals(warm.batches(), ReadCounters.cacheMisses() - misses);
    assertEquals(0, ReadCounters.cacheHits() - hits);

    fetched = ReadCounters.fetchedBatches();
    hits = ReadCounters.cacheHits();
    Row second = read("carol.warm");
    assertEquals(first, second);
    assertEquals(0, ReadCounters.fetchedBatches() - fetched, "nothing fetched from donors");
    assertEquals(warm.batches(), ReadCounters.cacheHits() - hits);
  }

  @Test
  void aVersionPublishedBetweenTwoReadsIsReadAsItself() throws Exception {
    rig.publish("carol", "moving", COLUMNS, rows("first", 1), SMALL);
    assertAnswer(read("carol.moving"), "first", 1);
    PublishResult second = rig.publish("carol", "moving", COLUMNS, rows("second", 7), SMALL);
    long fetched = ReadCounters.fetchedBatches();
    long hits = ReadCounters.cacheHits();
    assertAnswer(read("carol.moving"), "second", 7);
    assertEquals(second.batches(), ReadCounters.fetchedBatches() - fetched,
        "every batch of the new version is new: none served from the cache");
    assertEquals(0, ReadCounters.cacheHits() - hits);

    fetched = ReadCounters.fetchedBatches();
    assertAnswer(read("carol.moving$v1"), "first", 1);
    assertEquals(0, ReadCounters.fetchedBatches() - fetched, "version 1 is still cached");
  }

  @Test
  void cacheSizeZeroFetchesEveryTime() throws Exception {
    PublishResult cold = rig.publish("carol", "cold", COLUMNS, rows("cold", 5), SMALL);
    long hits = ReadCounters.cacheHits();
    for (int run = 0; run < 2; run++) {
      long fetched = ReadCounters.fetchedBatches();
      assertAnswer(read("carol.cold", "cacheSize", "0"), "cold", 5);
      assertEquals(cold.batches(), ReadCounters.fetchedBatches() - fetched, "run " + run);
    }
    assertEquals(0, ReadCounters.cacheHits() - hits);
    assertEquals(0, VerifiedBlobCache.SHARED.residentBytes());
  }

  @Test
  void aCacheSmallerThanOneQueryStillAnswersRight() throws Exception {
    PublishResult big = rig.publish("carol", "big", COLUMNS, rows("big", 11), SMALL);
    long twoBatches = 2 * big.bytes() / big.batches();
    String size = Long.toString(twoBatches);
    for (int run = 0; run < 3; run++) {
      long fetched = ReadCounters.fetchedBatches();
      assertAnswer(read("carol.big", "cacheSize", size), "big", 11);
      assertTrue(ReadCounters.fetchedBatches() - fetched >= big.batches() - 2,
          "at most two batches fit: run " + run);
      assertTrue(VerifiedBlobCache.SHARED.residentBytes() <= twoBatches);
    }
  }

  @Test
  void aNegativeCacheSizeIsRefused() throws Exception {
    rig.publish("carol", "refused", COLUMNS, rows("refused", 2), SMALL);
    Exception e = assertThrows(Exception.class, () -> read("carol.refused", "cacheSize", "-1"));
    assertTrue(String.valueOf(e.getMessage()).contains("cacheSize"), e.getMessage());
  }
}
