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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs sqlline exactly as docs/jdbc.md tells a user to (the command line and the commands typed
 * at its prompt are read from that file), with only the shaded driver jar and sqlline's own
 * jar, in a child JVM with no --add-opens, against a real cluster. Its input is no terminal, so
 * sqlline gets a width first (a dumb terminal has none and prints empty tables). Runs in the
 * {@code integration-test} phase, after the shaded jar is built (the surefire execution
 * {@code shaded-jar-tests} passes its path).
 */
class ShadedJarSqllineIT {
  private static final long CHILD_TIMEOUT_SECONDS = 120;
  private static final Path DOC = Path.of("..", "docs", "jdbc.md");

  @TempDir
  Path dir;

  /** The documented command line and the lines typed at the sqlline prompt. */
  record Documented(List<String> command, List<String> typed) { }

  @Test
  void theDocumentedSqllineCommandConnectsAndQueriesWithoutJvmOptions() throws Exception {
    String jar = System.getProperty("cairn.shadedJar");
    assertNotNull(jar, "runs in the integration-test phase, after packaging (cairn.shadedJar)");
    assertTrue(Files.isRegularFile(Path.of(jar)), "shaded jar " + jar);
    Documented doc = documented(Files.readString(DOC, StandardCharsets.UTF_8));
    try (TestCluster cluster = TestCluster.start(dir, 3)) {
      cluster.publish("orders", "id BIGINT NOT NULL, total DECIMAL(15,2), day DATE",
          "id,total,day\n1,10.50,2024-01-01\n2,20.25,2024-01-02\n3,30.00,2024-01-03\n");
      List<String> command = resolve(doc.command(), jar, cluster.url());
      String out = run(command, doc.typed());
      assertTrue(out.contains("SYSTEM TABLE") && out.contains("orders"), "!tables: " + out);
      assertTrue(out.contains("DECIMAL(15,2)"), "!columns orders: " + out);
      assertTrue(Pattern.compile("\\|\\s*3\\s*\\|").matcher(out).find(), "count: " + out);
      assertTrue(!out.contains("Exception") && !out.contains("SLF4J")
          && !out.contains("INFO: "), "quiet: " + out);

      // Told not to open java.nio itself, the driver refuses at connect, naming the fix.
      List<String> closed = new ArrayList<>(command);
      closed.add(1, "-Dcairn.jdbc.openJavaNio=false");
      String refused = run(closed, doc.typed());
      assertTrue(refused.contains("BAD_CONFIG: ") && refused.contains(
          "--add-opens=java.base/java.nio=ALL-UNNAMED") && refused.contains("dbeaver.ini"),
          "opening turned off: " + refused);
    }
  }

  /**
   * Reads the first indented block of docs/jdbc.md that runs {@code sqlline.SqlLine}: its
   * {@code java ...} line (with backslash continuations) and its {@code sqlline> } lines.
   */
  static Documented documented(String markdown) {
    String[] lines = markdown.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].trim().startsWith("java ")) {
        continue;
      }
      StringBuilder command = new StringBuilder();
      int j = i;
      while (j < lines.length && lines[j].trim().endsWith("\\")) {
        String l = lines[j++].trim();
        command.append(l, 0, l.length() - 1).append(' ');
      }
      command.append(lines[j].trim());
      if (!command.toString().contains("sqlline.SqlLine")) {
        continue;
      }
      List<String> typed = new ArrayList<>();
      for (int k = j + 1; k < lines.length && lines[k].startsWith("    "); k++) {
        String l = lines[k].trim();
        if (l.startsWith("sqlline> ")) {
          typed.add(l.substring("sqlline> ".length()));
        }
      }
      return new Documented(words(command.toString()), typed);
    }
    throw new AssertionError("docs/jdbc.md has no 'java ... sqlline.SqlLine' command");
  }

  /** Splits a shell command line into words; double quotes group ("" is an empty word). */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (word != null) {
          out.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      out.add(word.toString());
    }
    return out;
  }

  /**
   * Puts this machine's paths in place of the documented names: the JVM of this test, the
   * shaded jar, sqlline's jar from this test's class path (by its file name), and the
   * cluster's URL. Every other word stays as documented.
   */
  private static List<String> resolve(List<String> documented, String jar, String url) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < documented.size(); i++) {
      String word = documented.get(i);
      if (i == 0) {
        assertEquals("java", word);
        out.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      } else if (i > 0 && documented.get(i - 1).equals("-cp")) {
        List<String> entries = new ArrayList<>();
        for (String name : word.split(":")) {
          entries.add(name.equals(Path.of(jar).getFileName().toString()) ? jar
              : onTestClassPath(name));
        }
        out.add(String.join(File.pathSeparator, entries));
      } else if (word.startsWith("jdbc:cairn://")) {
        out.add(url);
      } else {
        out.add(word);
      }
    }
    return out;
  }

  private static String onTestClassPath(String fileName) {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (Path.of(entry).getFileName().toString().equals(fileName)) {
        return entry;
      }
    }
    throw new AssertionError("docs/jdbc.md names " + fileName + ", which is not a test"
        + " dependency of jdbc-driver (keep the two in step)");
  }

  /** Runs {@code command}, types {@code typed} and !quit, and returns everything it printed. */
  private String run(List<String> command, List<String> typed)
      throws IOException, InterruptedException {
    Path input = dir.resolve("typed-" + System.nanoTime() + ".txt");
    Files.writeString(input, "!set maxWidth 400\n" + String.join("\n", typed) + "\n!quit\n",
        StandardCharsets.UTF_8);
    Path output = dir.resolve("sqlline-" + System.nanoTime() + ".txt");
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile()).redirectInput(input.toFile()).start();
    assertTrue(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "sqlline finished");
    return Files.readString(output, StandardCharsets.UTF_8);
  }
}
