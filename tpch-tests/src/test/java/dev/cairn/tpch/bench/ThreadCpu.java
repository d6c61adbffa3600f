package dev.cairn.tpch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's threads, summed by thread name with its numbers removed (so a pool's
 * threads are one group): where a benchmark's CPU went when the reader, the donors and the
 * service share one process. A thread that ended between two readings is not counted.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> byThread;
  private final Map<Long, String> groups;

  private ThreadCpu(Map<Long, Long> byThread, Map<Long, String> groups) {
    this.byThread = byThread;
    this.groups = groups;
  }

  static ThreadCpu now() {
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, String> groups = new HashMap<>();
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long nanos = THREADS.getThreadCpuTime(ids[i]);
      if (nanos >= 0 && infos[i] != null) {
        cpu.put(ids[i], nanos);
        groups.put(ids[i], infos[i].getThreadName().replaceAll("[0-9]+", "#"));
      }
    }
    return new ThreadCpu(cpu, groups);
  }

  /** The JVM's whole CPU time, threads that ended included. */
  static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU each group spent since {@code before}, threads started since included. */
  ThreadCpu minus(ThreadCpu before) {
    Map<Long, Long> spent = new HashMap<>();
    byThread.forEach((id, nanos) -> spent.put(id, nanos - before.byThread.getOrDefault(id, 0L)));
    return new ThreadCpu(spent, groups);
  }

  /** The {@code n} groups that spent the most, as "group ms" pairs. */
  String top(int n) {
    Map<String, Long> byGroup = new HashMap<>();
    byThread.forEach((id, nanos) -> byGroup.merge(groups.get(id), nanos, Long::sum));
    return byGroup.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
        .map(e -> e.getKey() + " " + Math.round(e.getValue() / 1e6))
        .collect(Collectors.joining(", "));
  }
}
