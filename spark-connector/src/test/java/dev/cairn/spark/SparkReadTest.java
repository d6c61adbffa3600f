package dev.cairn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Spark in local mode reading Cairn tables from 3 real donors: every column type through the
 * format and the catalog, pushed filters skipping batches (counted), time travel, a donor
 * serving altered bytes, erasure-coded versions, a lost batch, and donors killed while a job
 * reads (last).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkReadTest {
  private static final String TRIPS = "id BIGINT NOT NULL, city VARCHAR, fare DECIMAL(10,2), "
      + "day DATE, at TIMESTAMP, dist DOUBLE, pax INTEGER, paid BOOLEAN";
  private static final int ROWS = 3000;
  private static final java.time.format.DateTimeFormatter STAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final long SMALL = PublishRequest.BATCH_TARGET_BYTES_MIN;

  private SparkRig rig;
  private PublishResult trips;

  @BeforeAll
  void start() throws Exception {
    rig = SparkRig.start("cairn-spark-test");
    trips = rig.publish("alice", "trips", TRIPS, trips(ROWS), SMALL);
    assertTrue(trips.batches() >= 8, "several batches: " + trips.batches());
    rig.publish("alice", "history", TRIPS, trips(100), SMALL);
    rig.publish("alice", "history", TRIPS, trips(200), SMALL);
    rig.publish("alice", "kinds", "id INTEGER, tz TIMESTAMPTZ, s SMALLINT, t TINYINT, r REAL,"
        + " tm TIME, b BLOB, u UUID", "id,tz,s,t,r,tm,b,u\n"
        + "1,2024-03-01T10:15:30.000001+02:00,-300,-7,1.5,23:59:59.5,a\\x00\\xFF,"
        + "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11\n"
        + "2,,,,,,,\n", SMALL);
  }

  @AfterAll
  void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  private static String trips(int rows) {
    StringBuilder csv = new StringBuilder("id,city,fare,day,at,dist,pax,paid\n");
    for (int i = 0; i < rows; i++) {
      csv.append(i).append(',').append(i % 11 == 0 ? "" : "city-" + (i % 7)).append(',')
          .append(fare(i)).append(',').append(day(i)).append(',')
          .append(STAMP.format(at(i))).append(',').append(i / 4.0).append(',')
          .append(i % 5).append(',').append(i % 2 == 0).append('\n');
    }
    return csv.toString();
  }

  private static BigDecimal fare(int i) {
    return new BigDecimal(i).multiply(new BigDecimal("1.25")).setScale(2);
  }

  private static LocalDate day(int i) {
    return LocalDate.of(2024, 1, 1).plusDays(i % 365);
  }

  private static LocalDateTime at(int i) {
    return LocalDateTime.of(2024, 1, 1, 0, 0, 1).plusSeconds(i * 61L);
  }

  private String meta() {
    return rig.cluster().metaHostPort();
  }

  private Dataset<Row> load(String table) {
    return rig.spark().read().format("cairn").option("meta", meta()).load(table);
  }

  private dev.cairn.wire.manifest.Manifest headOf(String schema, String table) {
    return CairnClients.of(List.of(meta())).meta().head(schema, table).orElseThrow().signed()
        .manifest();
  }

  private Row one(String sql) {
    List<Row> rows = rig.spark().sql(sql).collectAsList();
    assertEquals(1, rows.size(), sql);
    return rows.get(0);
  }

  @Test
  @Order(1)
  void readsEveryColumnTypeThroughTheFormat() {
    load("alice.trips").createOrReplaceTempView("trips_df");
    Row row = one("select * from trips_df where id = 17");
    assertEquals(List.of(17L, "city-3", fare(17), day(17), at(17), 17 / 4.0, 2, false),
        List.of(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5),
            row.get(6), row.get(7)));
    Row nulls = one("select city from trips_df where id = 22");
    assertTrue(nulls.isNullAt(0), "an empty VARCHAR field is NULL");

    Row sums = one("select count(*), sum(id), sum(fare), count(city), max(day), max(at), "
        + "sum(dist), sum(pax), count_if(paid) from trips_df");
    BigDecimal fares = BigDecimal.ZERO;
    long cities = 0;
    long pax = 0;
    double dist = 0;
    for (int i = 0; i < ROWS; i++) {
      fares = fares.add(fare(i));
      cities += i % 11 == 0 ? 0 : 1;
      pax += i % 5;
      dist += i / 4.0;
    }
    assertEquals((long) ROWS, sums.getLong(0));
    assertEquals((long) ROWS * (ROWS - 1) / 2, sums.getLong(1));
    assertEquals(0, fares.compareTo(sums.getDecimal(2)), sums.toString());
    assertEquals(cities, sums.getLong(3));
    assertEquals(LocalDate.of(2024, 12, 30), sums.get(4));
    assertEquals(at(ROWS - 1), sums.get(5));
    assertEquals(dist, sums.getDouble(6), 1e-6);
    assertEquals(pax, sums.getLong(7));
    assertEquals((long) ROWS / 2, sums.getLong(8));
  }

  @Test
  @Order(1)
  void readsTheNewerColumnTypes() {
    load("alice.kinds").createOrReplaceTempView("kinds_df");
    Row row = one("select tz, s, t, r, tm, b from kinds_df where id = 1");
    assertEquals(java.time.Instant.parse("2024-03-01T08:15:30.000001Z"), row.get(0));
    // TIME reads as microseconds since midnight: Spark 4.2 refuses its own TIME type.
    assertEquals(List.of((short) -300, (byte) -7, 1.5f, 86_399_500_000L),
        List.of(row.get(1), row.get(2), row.get(3), row.get(4)));
    assertEquals(java.util.HexFormat.of().formatHex(new byte[] {'a', 0, (byte) 0xff}),
        java.util.HexFormat.of().formatHex((byte[]) row.get(5)));
    Row nulls = one("select count(tz), count(s), count(t), count(r), count(tm), count(b)"
        + " from kinds_df where id = 2");
    assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), List.of(nulls.get(0), nulls.get(1),
        nulls.get(2), nulls.get(3), nulls.get(4), nulls.get(5)));
    assertEquals(1L, one("select count(*) from kinds_df where s < -100 and t = -7"
        + " and tm > 43200000000").getLong(0));
    // UUID reads as its lower-case text: Spark has no UUID type.
    assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        one("select u from kinds_df where id = 1").getString(0));
    assertEquals(1L, one("select count(*) from kinds_df where"
        + " u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' and id = 1").getLong(0));
    assertEquals(0L, one("select count(u) from kinds_df where id = 2").getLong(0));
  }

  @Test
  @Order(1)
  void decimalsOfUpTo18DigitsKeepTheirSignScaleAndNulls() throws Exception {
    // DECIMAL(18,4) and (5,0) reach Spark as longs (LongDecimalColumnVector), (30,2) through
    // Arrow's own accessor; the extremes of 18 digits, negatives and NULLs on both.
    Path file = Files.writeString(rig.dir().resolve("amounts.csv"), "id,d,e,w\n"
        + "1,99999999999999.9999,99999,1234567890123456789012345678.99\n"
        + "2,-99999999999999.9999,-99999,-0.01\n"
        + "3,,,\n"
        + "4,-0.0001,0,0.00\n");
    // Another writer (schema dora), so alice's table list stays as the catalog test expects.
    rig.publish(PublishRequest.of(rig.cluster().metaAddresses(),
        SigningKey.generate(new SecureRandom()), "dora", "amounts", List.of(file))
        .withSchema("id INTEGER NOT NULL, d DECIMAL(18,4), e DECIMAL(5,0), w DECIMAL(30,2)"));
    load("dora.amounts").createOrReplaceTempView("amounts_df");
    List<Row> rows = rig.spark().sql("select d, e, w from amounts_df order by id").collectAsList();
    assertEquals(new BigDecimal("99999999999999.9999"), rows.get(0).getDecimal(0));
    assertEquals(new BigDecimal("99999"), rows.get(0).getDecimal(1));
    assertEquals(new BigDecimal("1234567890123456789012345678.99"), rows.get(0).getDecimal(2));
    assertEquals(new BigDecimal("-99999999999999.9999"), rows.get(1).getDecimal(0));
    assertEquals(new BigDecimal("-99999"), rows.get(1).getDecimal(1));
    assertTrue(rows.get(2).isNullAt(0) && rows.get(2).isNullAt(1) && rows.get(2).isNullAt(2));
    assertEquals(new BigDecimal("-0.0001"), rows.get(3).getDecimal(0));
    Row sums = one("select sum(d), sum(e), min(d), count(d) from amounts_df");
    assertEquals(0, new BigDecimal("-0.0001").compareTo(sums.getDecimal(0)));
    assertEquals(0, BigDecimal.ZERO.compareTo(sums.getDecimal(1)));
    assertEquals(new BigDecimal("-99999999999999.9999"), sums.getDecimal(2));
    assertEquals(3L, sums.getLong(3));
  }

  @Test
  @Order(2)
  void pushedFiltersSkipBatchesByTheirSignedStatistics() {
    long before = ReadCounters.batchesRead();
    Row row = one("select count(*), sum(id) from cairn.alice.trips where id < 100");
    assertEquals(100L, row.getLong(0));
    assertEquals(99L * 100 / 2, row.getLong(1));
    // Read, not fetched: an earlier test may have left some of them in the blob cache.
    long fetched = ReadCounters.batchesRead() - before;
    assertTrue(fetched >= 1 && fetched < trips.batches(),
        fetched + " of " + trips.batches() + " batches read");

    before = ReadCounters.batchesRead();
    Row dates = one("select count(*) from cairn.alice.trips "
        + "where day >= date '2024-12-30' and id > 2500");
    assertEquals(2L, dates.getLong(0), "ids 2554 and 2919");
    assertTrue(ReadCounters.batchesRead() - before < trips.batches());

    before = ReadCounters.batchesRead();
    assertEquals((long) ROWS, one("select count(*) from cairn.alice.trips").getLong(0));
    assertEquals(0, ReadCounters.batchesRead() - before,
        "count(*) is the signed manifest's row count: nothing fetched");
  }

  @Test
  @Order(3)
  void partitionsGroupBatchesByTargetSize() {
    Dataset<Row> each = rig.spark().read().format("cairn").option("meta", meta())
        .option("partitionBytes", "1").load("alice.trips");
    assertEquals(trips.batches(), each.rdd().getNumPartitions());
    Dataset<Row> all = load("alice.trips");
    assertEquals(1, all.rdd().getNumPartitions());
    assertEquals((long) ROWS * (ROWS - 1) / 2,
        each.selectExpr("sum(id)").collectAsList().get(0).getLong(0));
  }

  @Test
  @Order(4)
  void theCatalogListsTablesAndReadsOlderVersions() {
    List<String> tables = new ArrayList<>();
    for (Row row : rig.spark().sql("show tables in cairn.alice").collectAsList()) {
      tables.add(row.getString(1));
    }
    assertEquals(List.of("history", "kinds", "trips"), tables.stream().sorted().toList());
    assertEquals(199L * 200 / 2, one("select sum(id) from cairn.alice.history").getLong(0));
    assertEquals(99L * 100 / 2,
        one("select sum(id) from cairn.alice.history version as of 1").getLong(0));
    assertEquals(99L * 100 / 2,
        one("select sum(id) from cairn.alice.`history$v1`").getLong(0));
    assertEquals(100L, load("alice.history$v1").count());
    assertEquals(100L, rig.spark().read().format("cairn").option("meta", meta())
        .option("versionAsOf", "1").load("alice.history").count());
    Exception missing = assertThrows(Exception.class,
        () -> one("select count(*) from cairn.alice.history version as of 7"));
    assertTrue(String.valueOf(missing.getMessage()).contains("history"),
        missing.getMessage());
  }

  @Test
  @Order(5)
  void aTableThatGrewReadsEachVersionWithItsOwnSchema() throws Exception {
    StringBuilder v1 = new StringBuilder("id,amount\n");
    StringBuilder v2 = new StringBuilder("id,amount,note\n");
    StringBuilder v3 = new StringBuilder("id,amount,note,qty\n");
    long big = 3_000_000_000L;
    for (int i = 0; i < 100; i++) {
      v1.append(i).append(',').append(i).append(".25\n");
    }
    for (int i = 100; i < 150; i++) {
      v2.append(i).append(',').append(i * 1000).append(".50,").append(i % 3 == 0 ? "" : "n-" + i)
          .append('\n');
    }
    for (int i = 0; i < 40; i++) {
      v3.append(big + i).append(",7.75,third-").append(i).append(',').append(i % 5).append('\n');
    }
    rig.publish("alice", "grow", "id INTEGER NOT NULL, amount DECIMAL(9,2)", v1.toString(), SMALL);
    Path second = Files.writeString(rig.dir().resolve("grow2.csv"), v2);
    Path third = Files.writeString(rig.dir().resolve("grow3.csv"), v3);
    dev.cairn.client.publish.Publisher.append(PublishRequest.of(rig.cluster().metaAddresses(),
        rig.writer(), "alice", "grow", List.of(second)).withBatchTargetBytes(SMALL)
        .withSchema("id INTEGER NOT NULL, amount DECIMAL(12,2), note VARCHAR"),
        dev.cairn.client.publish.ProgressListener.NONE);
    dev.cairn.client.publish.Publisher.append(PublishRequest.of(rig.cluster().metaAddresses(),
        rig.writer(), "alice", "grow", List.of(third)).withBatchTargetBytes(SMALL),
        dev.cairn.client.publish.ProgressListener.NONE);

    Dataset<Row> first = rig.spark().sql("select * from cairn.alice.grow version as of 1");
    assertEquals(List.of("id", "amount"), List.of(first.columns()));
    assertEquals("IntegerType", first.schema().fields()[0].dataType().toString());
    Row v1Row = one("select sum(id), sum(amount) from cairn.alice.`grow$v1`");
    assertEquals(99L * 100 / 2, v1Row.getLong(0));
    assertEquals(0, new BigDecimal("4975.00").compareTo(v1Row.getDecimal(1)));
    Row v2Row = one("select count(*), count(note), sum(amount) from cairn.alice.grow"
        + " version as of 2");
    assertEquals(150L, v2Row.getLong(0));
    assertEquals(50L - 16, v2Row.getLong(1), "rows before note was added read NULL");
    BigDecimal amounts = BigDecimal.ZERO;
    for (int i = 0; i < 100; i++) {
      amounts = amounts.add(new BigDecimal(i + ".25"));
    }
    for (int i = 100; i < 150; i++) {
      amounts = amounts.add(new BigDecimal(i * 1000 + ".50"));
    }
    assertEquals(0, amounts.compareTo(v2Row.getDecimal(2)));
    Row head = one("select count(*), sum(id), count(qty), sum(qty), max(id) from cairn.alice.grow");
    assertEquals(190L, head.getLong(0));
    assertEquals(149L * 150 / 2 + 40 * big + 39L * 40 / 2, head.getLong(1));
    assertEquals(40L, head.getLong(2));
    assertEquals(80L, head.getLong(3));
    assertEquals(big + 39, head.getLong(4), "the widened column holds values past INTEGER");
    assertEquals(1L, one("select count(*) from cairn.alice.grow where note = 'n-121'")
        .getLong(0));
    assertEquals(100L + 16, one("select count(*) from cairn.alice.grow where note is null")
        .getLong(0));
    assertEquals(40L, one("select count(*) from cairn.alice.grow where id > 2147483647")
        .getLong(0));
  }

  @Test
  @Order(6)
  void aDonorServingAlteredBytesIsCaughtAndAnotherServes() throws Exception {
    PublishResult altered = rig.publish("alice", "altered", TRIPS, trips(ROWS), SMALL);
    StorageServer liar = rig.cluster().servers().get(0);
    for (BatchRef batch : headOf("alice", "altered").batches()) {
      corrupt(liar, batch.id());
    }
    long lies = ReadCounters.badHolders();
    // A fresh JVM-wide client (another spelling of the same service) with no history, and
    // eight fetches in flight with at most three per donor: the liar surely gets some.
    String fresh = "localhost:" + rig.cluster().metaAddress().getPort();
    // Around the blob cache: the same rows as trips, so the same batch ids, are cached.
    Row row = rig.spark().read().format("cairn").option("meta", fresh)
        .option("fetchesAhead", "8").option("cacheSize", "0").load("alice.altered").selectExpr("count(*)", "sum(id)")
        .collectAsList().get(0);
    assertEquals((long) ROWS, row.getLong(0));
    assertEquals((long) ROWS * (ROWS - 1) / 2, row.getLong(1));
    assertTrue(ReadCounters.badHolders() > lies, "the altered copies were caught");
    assertTrue(altered.batches() >= 8);
  }

  /** Alters a blob on one donor, keeping the file's stat, so only a reader can catch it. */
  private static void corrupt(StorageServer server, ContentId id) throws Exception {
    Path file = server.store().file(id);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a;
    FileTime modified = Files.getLastModifiedTime(file);
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, modified);
  }

  @Test
  @Order(7)
  void readsAnErasureCodedVersionFromAnyTwoOfItsThreeShards() throws Exception {
    Path file = rig.dir().resolve("coded.csv");
    Files.writeString(file, trips(ROWS));
    PublishResult coded = rig.publish(PublishRequest.of(rig.cluster().metaAddresses(),
        rig.writer(), "alice", "coded", List.of(file)).withSchema(TRIPS).withErasure(2, 1)
        .withBatchTargetBytes(SMALL));
    assertTrue(coded.batches() >= 2, coded.batches() + " batches");
    // The first data shard of every batch is gone: each batch is decoded from parity.
    for (BatchRef batch : headOf("alice", "coded").batches()) {
      ContentId shard = batch.shardIds().get(0);
      for (StorageServer server : rig.cluster().servers()) {
        server.store().delete(shard);
      }
    }
    // Around the blob cache, which may hold the same blob (trips' rows): read the shards.
    Row row = rig.spark().read().format("cairn").option("meta", meta())
        .option("cacheSize", "0").load("alice.coded")
        .selectExpr("count(*)", "sum(id)", "sum(fare)").collectAsList().get(0);
    assertEquals((long) ROWS, row.getLong(0));
    assertEquals((long) ROWS * (ROWS - 1) / 2, row.getLong(1));
    assertEquals(0, one("select sum(fare) from cairn.alice.trips").getDecimal(0)
        .compareTo(row.getDecimal(2)));
  }

  @Test
  @Order(8)
  void aBatchNoDonorHoldsFailsTheTaskWithLost() throws Exception {
    Path file = rig.dir().resolve("lost.csv");
    Files.writeString(file, trips(50));
    // A key holds one schema name: bob is another writer.
    PublishResult lost = rig.publish(PublishRequest.of(rig.cluster().metaAddresses(),
        SigningKey.generate(new SecureRandom()), "bob", "lost", List.of(file)).withSchema(TRIPS)
        .withReplicas(1));
    assertEquals(1, lost.batches());
    ContentId id = headOf("bob", "lost").batches().get(0).id();
    for (StorageServer server : rig.cluster().servers()) {
      server.store().delete(id);
    }
    SparkException e = assertThrows(SparkException.class,
        () -> load("bob.lost").selectExpr("sum(id)").collectAsList());
    assertTrue(String.valueOf(e.getMessage()).contains("LOST: "), e.getMessage());
  }

  @Test
  @Order(9)
  void donorsKilledWhileAJobReadsChangeNothing() throws Exception {
    // A fourth donor in its own JVM, so that it can die as a crash kills it (SIGKILL), and
    // four copies of every batch, so that it holds them all.
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), DonorMain.class.getName(),
        rig.dir().resolve("child-donor").toString(), meta());
    Path out = rig.dir().resolve("child-donor.out");
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    try {
      rig.cluster().awaitLiveNodes(SparkRig.DONORS + 1);
      Path file = rig.dir().resolve("killed.csv");
      Files.writeString(file, trips(ROWS));
      PublishResult killed = rig.publish(PublishRequest.of(rig.cluster().metaAddresses(),
          rig.writer(), "alice", "killed", List.of(file)).withSchema(TRIPS)
          .withReplicas(SparkRig.DONORS + 1).withBatchTargetBytes(SMALL));
      Dataset<Row> rows = rig.spark().read().format("cairn").option("meta", meta())
          .option("partitionBytes", "1").option("cacheSize", "0").load("alice.killed")
          .select("id", "fare");
      assertEquals(killed.batches(), rows.rdd().getNumPartitions());
      // toLocalIterator runs one job per partition as it is consumed: after the first
      // partition the child donor is killed (-9) and an in-process one stopped, before the
      // other partitions are read.
      Iterator<Row> it = rows.toLocalIterator();
      long count = 0;
      long ids = 0;
      BigDecimal fares = BigDecimal.ZERO;
      while (it.hasNext()) {
        Row row = it.next();
        count++;
        ids += row.getLong(0);
        fares = fares.add(row.getDecimal(1));
        if (child.isAlive()) {
          child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          rig.cluster().stopServer(1);
        }
      }
      BigDecimal expected = BigDecimal.ZERO;
      for (int i = 0; i < ROWS; i++) {
        expected = expected.add(fare(i));
      }
      assertFalse(child.isAlive(), Files.readString(out));
      assertEquals((long) ROWS, count);
      assertEquals((long) ROWS * (ROWS - 1) / 2, ids);
      assertEquals(0, expected.compareTo(fares));
    } finally {
      child.destroyForcibly();
    }
  }
}
