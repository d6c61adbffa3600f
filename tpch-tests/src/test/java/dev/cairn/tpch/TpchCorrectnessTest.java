package dev.cairn.tpch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: every one of the 22 TPC-H queries, as the specification prints them, runs through the
 * jdbc:cairn driver (via a HikariCP pool) on data served by 6 real storage servers, and returns
 * what DuckDB returns on the same generated data: once with every table in 3 copies, once
 * with all eight tables erasure-coded 4 + 2 (published under {@value #ERASURE_SCHEMA} to the
 * same cluster, read through a cache of its own size, so its batches really come from shards).
 * Scale factor 0.01, none skipped, no text edited. Compared by {@link
 * dev.cairn.tpchdata.ResultMatch}, as TPC-DS is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TpchCorrectnessTest {
  private static final double SCALE = 0.01;
  /** The schema the erasure-coded copy of the tables is published under. */
  private static final String ERASURE_SCHEMA = "tpchrs";
  /**
   * A cache size no other pool here uses: the cache of verified batches is shared JVM-wide by
   * configuration, and both layouts hold the same batches.
   */
  private static final String ERASURE_POOL_PROPERTIES = "?cache.size=333MiB";

  private CorrectnessRig rig;
  private HikariDataSource erasurePool;

  @BeforeAll
  void publishAndLoad() throws Exception {
    rig = CorrectnessRig.start("cairn-tpch-test", 6);
    Map<TpchTable, Path> csv = TpchDemo.generate(rig.dir().resolve("csv"), SCALE);
    TpchDemo.publish(List.of(rig.cluster().metaAddress()),
        SigningKey.generate(new SecureRandom()), csv, 3);
    TpchDemo.publishErasure(List.of(rig.cluster().metaAddress()),
        SigningKey.generate(new SecureRandom()), csv, ERASURE_SCHEMA, 4, 2);
    TpchGenerator.loadInto(rig.duckdb(), SCALE);
    rig.openPool(TpchDemo.SCHEMA);
    erasurePool = rig.openExtraPool(ERASURE_SCHEMA, ERASURE_POOL_PROPERTIES);
  }

  @AfterAll
  void stop() throws Exception {
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
    List<List<Object>> expected =
        rig.assertSameAnswer("q" + query, TpchQueries.text(query));
    assertTrue(!expected.isEmpty(), "q" + query + " returns rows on DuckDB at SF " + SCALE);
  }

  @ParameterizedTest(name = "q{0} erasure-coded 4+2")
  @MethodSource("queries")
  void matchesDuckDbErasureCoded(int query) throws Exception {
    List<List<Object>> expected = rig.assertSameAnswer(erasurePool, "q" + query + " (4+2)",
        TpchQueries.text(query));
    assertTrue(!expected.isEmpty(), "q" + query + " returns rows on DuckDB at SF " + SCALE);
  }
}
