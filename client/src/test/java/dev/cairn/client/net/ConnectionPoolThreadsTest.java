package dev.cairn.client.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pool's I/O threads are daemons: a JDBC driver's runtime keeps its pool for the life of the
 * JVM, and an application that returns from main must still exit.
 */
class ConnectionPoolThreadsTest {
  @Test
  void ioThreadsDoNotKeepTheJvmAlive() throws Exception {
    try (FakeMetaService service = new FakeMetaService()) {
      ConnectionPool pool = new ConnectionPool(Duration.ofSeconds(5));
      try {
        assertTrue(pool.get(service.address()).isOpen());
        List<Thread> io = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("cairn-client-io")).toList();
        assertFalse(io.isEmpty(), "the connection runs on the pool's I/O threads");
        assertTrue(io.stream().allMatch(Thread::isDaemon), io.toString());
      } finally {
        pool.close();
      }
    }
  }
}
