package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sqlline with only the shaded driver jar (and sqlline's own jars) on its class path connects
 * and queries, in a child JVM. Runs in the {@code integration-test} phase, after the shaded jar
 * is built (the surefire execution {@code shaded-jar-tests} passes its path); in the ordinary
 * test phase the jar does not exist yet and this test is skipped.
 */
class ShadedJarSqllineIT {
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  @TempDir
  Path dir;

  @Test
  void sqllineConnectsAndQueriesWithOnlyTheShadedJar() throws Exception {
    String jar = System.getProperty("cairn.shadedJar");
    assertNotNull(jar, "runs in the integration-test phase, after packaging (cairn.shadedJar)");
    assertTrue(Files.isRegularFile(Path.of(jar)), "shaded jar " + jar);
    try (TestCluster cluster = TestCluster.start(dir, 3)) {
      cluster.publish("orders", "id BIGINT NOT NULL, total DECIMAL(15,2), day DATE",
          "id,total,day\n1,10.50,2024-01-01\n2,20.25,2024-01-02\n3,30.00,2024-01-03\n");
      String out = sqlline(jar, cluster.url(), List.of(),
          "select count(*) as n, sum(total) as s, max(day) as d from orders");
      assertTrue(out.contains("60.75") && out.contains("2024-01-03"), out);
      String tables = sqlline(jar, cluster.url(), List.of(), "!tables");
      assertTrue(tables.contains("orders") && tables.contains("SYSTEM TABLE"), tables);
      // Measured on JDK 17: without the option Arrow cannot allocate (docs/jdbc.md says so).
      String withoutOpens = run(jar, cluster.url(), null, "select count(*) as n from orders",
          false);
      assertTrue(withoutOpens.contains("java.nio.DirectByteBuffer.<init>(long, int) not "
          + "available"), "without --add-opens: " + withoutOpens);
    }
  }

  /** Runs sqlline in a child JVM; {@code jvmOptions} null means no --add-opens at all. */
  private String sqlline(String jar, String url, List<String> jvmOptions, String command)
      throws IOException, InterruptedException {
    return run(jar, url, jvmOptions, command, true);
  }

  private String run(String jar, String url, List<String> jvmOptions, String command,
      boolean mustSucceed) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (jvmOptions != null) {
      cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
      cmd.addAll(jvmOptions);
    }
    cmd.addAll(List.of("-cp", jar + File.pathSeparator + sqllineClassPath(), "sqlline.SqlLine",
        "-u", url, "-n", "", "-p", "", "--silent=true", "--maxWidth=400", "--outputformat=csv", "-e", command));
    Path output = dir.resolve("sqlline-" + System.nanoTime() + ".txt");
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    child.getOutputStream().close();
    assertTrue(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "sqlline finished");
    String text = Files.readString(output, StandardCharsets.UTF_8);
    if (mustSucceed) {
      assertEquals(0, child.exitValue(), text);
    }
    return text;
  }

  /** sqlline and jline jars from this test's class path: no Cairn class comes from here. */
  private static String sqllineClassPath() {
    List<String> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String unix = entry.replace('\\', '/');
      if (unix.contains("/sqlline/") || unix.contains("/org/jline/")
          || unix.contains("/org/fusesource/jansi/")) {
        jars.add(entry);
      }
    }
    return String.join(File.pathSeparator, jars);
  }
}
