package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar keeps to what docs/jdbc.md says it holds: every class outside {@code
 * dev/cairn/} is one of the documented unrelocated packages, and the driver answers a query
 * from a class loader that also holds an application's own Calcite and Arrow (their original
 * package names), each side using its own copy. Runs in the {@code integration-test} phase.
 */
class ShadedJarIsolationIT {
  /** What docs/jdbc.md ("What the jar holds") says stays under its own name, and why. */
  private static final List<String> UNRELOCATED = List.of(
      "org/duckdb/", // JNI: the native library binds methods and finds classes by these names
      "org/apache/arrow/c/", // JNI, likewise (arrow_cdata_jni)
      "org/codehaus/"); // janino: found through org.codehaus.commons.compiler.properties

  @TempDir
  Path dir;

  @Test
  void onlyTheDocumentedPackagesKeepTheirNames() throws Exception {
    TreeSet<String> strays = new TreeSet<>();
    try (JarFile jar = new JarFile(shadedJar())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.startsWith("dev/cairn/")
            && !name.startsWith("META-INF/") && UNRELOCATED.stream().noneMatch(name::startsWith)) {
          strays.add(name.substring(0, name.lastIndexOf('/') + 1));
        }
      }
      assertTrue(strays.isEmpty(), "unrelocated packages not in docs/jdbc.md: " + strays);
      assertNotNull(jar.getEntry("dev/cairn/shaded/org/apache/calcite/sql/SqlNode.class"));
      assertNotNull(jar.getEntry("dev/cairn/shaded/org/apache/arrow/memory/RootAllocator.class"));
    }
  }

  @Test
  void theDriverAnswersBesideAnApplicationsOwnCalciteAndArrow() throws Exception {
    // An application's class path, first: this test's jars (Calcite, Arrow, Guava, Netty,
    // SLF4J, ... in their original packages) except Cairn's own and the two libraries
    // docs/jdbc.md says cannot be relocated (DuckDB and Arrow's C data interface).
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith(".jar") && !name.startsWith("cairn-")
          && !name.startsWith("arrow-c-data-") && !name.startsWith("duckdb_jdbc-")) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    for (String needed : List.of("calcite-core-", "arrow-vector-", "arrow-memory-core-")) {
      assertTrue(urls.stream().anyMatch(u -> u.getPath().contains("/" + needed)),
          needed + " among " + urls);
    }
    urls.add(new File(shadedJar()).toURI().toURL());
    try (TestCluster cluster = TestCluster.start(dir, 3);
        URLClassLoader app = new URLClassLoader(urls.toArray(new URL[0]),
            ClassLoader.getPlatformClassLoader())) {
      cluster.publish("isolated", "id BIGINT NOT NULL, total DECIMAL(15,2)",
          "id,total\n1,10.50\n2,20.25\n");
      Class<?> appCalcite = app.loadClass("org.apache.calcite.sql.SqlNode");
      Class<?> appArrow = app.loadClass("org.apache.arrow.memory.RootAllocator");
      Class<?> ours = app.loadClass("dev.cairn.shaded.org.apache.calcite.sql.SqlNode");
      assertNotEquals(location(appCalcite), location(ours));
      assertTrue(location(appArrow).contains("arrow-memory-core-"), location(appArrow));
      Driver driver = (Driver) app.loadClass("dev.cairn.jdbc.CairnDriver")
          .getDeclaredConstructor().newInstance();
      try (Connection c = driver.connect(cluster.url(), new Properties());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*), sum(total) from isolated")) {
        assertTrue(rs.next());
        assertEquals(2L, rs.getLong(1));
        assertEquals(new java.math.BigDecimal("30.75"), rs.getBigDecimal(2));
      }
    }
  }

  private static String location(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation().toString();
  }

  private static String shadedJar() {
    String jar = System.getProperty("cairn.shadedJar");
    assertNotNull(jar, "runs in the integration-test phase, after packaging (cairn.shadedJar)");
    return jar;
  }
}
