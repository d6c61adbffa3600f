package dev.cairn.tpch;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * jdbc:cairn driver (via a HikariCP pool) on data served by 3 real storage servers, and returns
 * what DuckDB returns on the same generated data. Scale factor 0.01, none skipped, no text
 * edited. Compared by {@link dev.cairn.tpchdata.ResultMatch}, as TPC-DS is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TpchCorrectnessTest {
  private static final double SCALE = 0.01;

  private CorrectnessRig rig;

  @BeforeAll
  void publishAndLoad() throws Exception {
    rig = CorrectnessRig.start("cairn-tpch-test");
    Map<TpchTable, Path> csv = TpchDemo.generate(rig.dir().resolve("csv"), SCALE);
    TpchDemo.publish(List.of(rig.cluster().metaAddress()),
        SigningKey.generate(new SecureRandom()), csv, 3);
    TpchGenerator.loadInto(rig.duckdb(), SCALE);
    rig.openPool(TpchDemo.SCHEMA);
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
}
