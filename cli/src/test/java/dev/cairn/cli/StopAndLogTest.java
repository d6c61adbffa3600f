package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 15): a donor and a metadata service run as real processes log their effective
 * settings once at start (quotas and limits included), one line per record; SIGTERM (what
 * systemd sends, here Process.destroy) stops each with exit code 0 and one shutdown line; the
 * log level comes from the config file; and Arrow's start-up INFO lines stay quiet.
 */
class StopAndLogTest {
  private static final Duration WAIT = ChildDonors.WAIT;

  @TempDir Path dir;

  @Test
  void sigtermStopsBothServersWithExitZeroAndOneLine() throws Exception {
    int metaPort = ChildDonors.freePort();
    Path metaLog = dir.resolve("meta.log");
    Process meta = ChildDonors.cairn(metaLog, "meta", "--listen", "127.0.0.1:" + metaPort,
        "--data", dir.resolve("meta").toString(), "--connections-max", "99");
    Path donorLog = dir.resolve("donor.log");
    Process donor = null;
    try {
      String metaStart = await(metaLog, "settings: listen=127.0.0.1:" + metaPort);
      assertTrue(metaStart.contains("connections-max=99"), metaStart);
      Path config = dir.resolve("donor.properties");
      Files.writeString(config, "log-level = warn\n");
      donor = ChildDonors.cairn(donorLog, "server", "--listen", "127.0.0.1:0",
          "--data", dir.resolve("donor").toString(), "--meta", "127.0.0.1:" + metaPort,
          "--default-quota", "3GiB", "--upload-limit", "5MiB/s", "--log-level", "info",
          "--config", config.toString());
      String donorStart = await(donorLog, "settings: listen=");
      assertTrue(donorStart.contains("default-quota=3.0 GiB")
          && donorStart.contains("upload-limit=5.0 MiB/s")
          && donorStart.contains("connections-max=1024"), donorStart);

      donor.destroy(); // SIGTERM
      assertTrue(donor.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the donor stops");
      String donorAll = Files.readString(donorLog);
      assertEquals(0, donor.exitValue(), donorAll);
      assertEquals(1, count(donorAll, "settings: listen="), "settings logged once");
      assertEquals(1, count(donorAll, "stopped: every request in flight finished, ledger "
          + "closed"), donorAll);
      assertTrue(donorAll.lines().anyMatch(l -> l.matches("\\S+Z INFO StorageServer: donor "
          + ".* stopped: .*")), "one line per record: " + donorAll);

      meta.destroy();
      assertTrue(meta.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the service stops");
      String metaAll = Files.readString(metaLog);
      assertEquals(0, meta.exitValue(), metaAll);
      assertEquals(1, count(metaAll, "settings: listen="), metaAll);
      assertEquals(1, count(metaAll, "stopped: every request in flight finished, head log "
          + "closed"), metaAll);
    } finally {
      meta.destroyForcibly();
      if (donor != null) {
        donor.destroyForcibly();
      }
    }
  }

  @Test
  void theConfigFilesLevelQuietsInfoAndArrowStaysQuiet() throws Exception {
    Path config = dir.resolve("meta.properties");
    Files.writeString(config, "log-level = warn\ndata = " + dir.resolve("meta") + "\n"
        + "listen = 127.0.0.1:0\n");
    Path metaLog = dir.resolve("quiet-meta.log");
    Process meta = ChildDonors.cairn(metaLog, "meta", "--config", config.toString());
    try {
      String started = await(metaLog, "cairn meta listening on ");
      Matcher port = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+)").matcher(started);
      assertTrue(port.find(), started);
      Path sqlLog = dir.resolve("sql.log");
      Process sql = ChildDonors.cairn(sqlLog, "sql", "-e", "select count(*) from cairn.tables",
          "jdbc:cairn://127.0.0.1:" + port.group(1));
      assertTrue(sql.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "sql ends");
      String sqlOut = Files.readString(sqlLog);
      assertEquals(0, sql.exitValue(), sqlOut);
      assertFalse(sqlOut.contains("org.apache.arrow") || sqlOut.contains("Debug mode disabled")
          || sqlOut.contains("allocation manager"), "no Arrow INFO lines: " + sqlOut);
      meta.destroy();
      assertTrue(meta.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the service stops");
      String metaAll = Files.readString(metaLog);
      assertEquals(0, meta.exitValue(), metaAll);
      assertFalse(metaAll.contains(" INFO "), "log-level = warn in the file: " + metaAll);
    } finally {
      meta.destroyForcibly();
    }
  }

  private static int count(String text, String part) {
    int found = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      found++;
    }
    return found;
  }

  /** Waits, bounded, until {@code log} contains {@code text}; returns the log. */
  private static String await(Path log, String text) {
    Await.until(WAIT, "'" + text + "' in " + log, () -> read(log).contains(text));
    return read(log);
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
