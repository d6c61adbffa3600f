package dev.cairn.tpch.soak;

import dev.cairn.tpch.soak.FaultPlan.Fault;
import dev.cairn.tpch.soak.FaultScript.Executed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What one soak found, as a summary for the console and a markdown report. */
record SoakOutcome(Soak.SoakConfig config, SoakLedger ledger, List<Fault> plan,
    List<Executed> executed, long queries, long runMs) {

  /** Returns the one-screen summary. */
  String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "soak seed %d, %d s, %d connections, SF %s, %d donors,"
        + " %d metadata services, R = %d%n", config.seed(), config.duration().toSeconds(),
        config.connections(), config.scale(), config.donors(), config.metas(),
        config.replicas()));
    s.append(String.format(Locale.ROOT, "queries started %d, answered right %d, p50 %d ms,"
        + " p99 %d ms%n", queries, ledger.latenciesMs().size(),
        ledger.latencyQuantileMs(0.50), ledger.latencyQuantileMs(0.99)));
    s.append("errors by code: ").append(ledger.failureCounts()).append('\n');
    s.append("unnamed errors: ").append(ledger.unnamed().size())
        .append(", errors outside outages: ").append(ledger.outsideOutages().size()).append('\n');
    s.append("wrong answers: ").append(ledger.wrongAnswers().size()).append('\n');
    s.append("versions acknowledged: ").append(ledger.acks().size()).append(", lost: ")
        .append(ledger.lostVersions().size()).append('\n');
    s.append("hangs: ").append(ledger.hangs().size()).append('\n');
    s.append("faults: ").append(faultCounts()).append('\n');
    return s.toString();
  }

  /** Counts carried-out faults by kind and kind of target; skipped and failed apart. */
  Map<String, Integer> faultCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (Executed e : executed) {
      Fault f = e.fault();
      String key = f.outage() ? "OUTAGE " + f.kind().label() + " " + f.targets().size()
          + (f.onMetas() ? " metas" : " donors")
          : f.kind().label() + (f.onMetas() ? " meta" : " donor");
      if (e.problem() != null) {
        key += " [" + (e.problem().startsWith("skipped") ? "skipped" : "not recovered") + "]";
      }
      counts.merge(key, 1, Integer::sum);
    }
    return counts;
  }

  /** Writes the summary, every failure, wrong answer, lost version and the schedule. */
  Path writeReport(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder md = new StringBuilder("# Soak, seed " + config.seed() + "\n\n```\n"
        + summary() + "```\n\n## Fault schedule (seconds since the start)\n\n"
        + "| # | what | targets | planned at | began | back at | problem |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (Executed e : executed) {
      Fault f = e.fault();
      md.append(String.format(Locale.ROOT, "| %d | %s%s | %s | %.1f | %s | %s | %s |%n",
          f.number(), f.outage() ? "OUTAGE " : "", f.kind().label(),
          String.join(" ", f.targets()), f.atMs() / 1000.0, seconds(e.startedMs()),
          seconds(e.recoveredMs()), e.problem() == null ? "" : e.problem()));
    }
    md.append("\n## Failures\n\n| what | code | from | to | outage | message |\n"
        + "|---|---|---|---|---|---|\n");
    for (SoakLedger.Failure f : ledger.failures()) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s | %s |%n", f.what(),
          f.code(), f.fromMs() / 1000.0, f.toMs() / 1000.0, f.duringOutage() ? "yes" : "NO",
          SoakLedger.firstLine(f.message()).replace('|', '/')));
    }
    md.append("\n## Wrong answers\n\n");
    ledger.wrongAnswers().forEach(w -> md.append("```\n").append(w).append("\n```\n"));
    md.append("\n## Lost versions\n\n");
    ledger.lostVersions().forEach(l -> md.append("- ").append(l).append('\n'));
    md.append("\n## Hangs\n\n");
    ledger.hangs().forEach(h -> md.append("```\n").append(h).append("\n```\n"));
    Path file = dir.resolve("soak-" + config.seed() + ".md");
    Files.writeString(file, md);
    return file;
  }

  private static String seconds(long ms) {
    return ms < 0 ? "-" : String.format(Locale.ROOT, "%.1f", ms / 1000.0);
  }
}
