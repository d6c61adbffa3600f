package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.IdleConnectionFlood;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 19): one client holding 1,100 idle HELLO connections to every donor and to the
 * metadata service (more than each one's 1,024 slots) cannot take the cluster offline: a SQL
 * query through jdbc:cairn from another client still answers, and {@code cairn status} works.
 * The wire-level refusals and evictions are AdmissionTest's; this is what a user sees.
 */
class IdleFloodSqlTest {
  private static final int FLOOD = 1_100;
  private static final int ROWS = 20_000;
  /** The flood's own address: one client, distinct from the test's others on 127.0.0.1. */
  private static final String FLOOD_SOURCE = "127.0.0.2";

  @TempDir Path dir;

  @Test
  void sqlAndStatusWorkWhileOneClientHoldsIdleConnectionsToEveryServer() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), LocalCluster.Options.of(3))) {
      Publisher.publish(PublishRequest.of(List.of(cluster.metaAddress()),
          ClusterFixtures.key(dir.resolve("w.key")), "flood", "t",
          List.of(ClusterFixtures.csv(dir, "t.csv", ROWS, 5))).withReplicas(3),
          ProgressListener.NONE);
      List<InetSocketAddress> targets = new ArrayList<>();
      targets.add(cluster.metaAddress());
      cluster.servers().stream().map(StorageServer::address).forEach(targets::add);
      List<IdleConnectionFlood> floods = new ArrayList<>();
      try {
        InetAddress source = InetAddress.getByName(FLOOD_SOURCE);
        for (InetSocketAddress target : targets) {
          IdleConnectionFlood flood = IdleConnectionFlood.open(source, target, FLOOD);
          floods.add(flood);
          assertEquals(FLOOD, flood.admitted() + flood.refused() + flood.unanswered());
        }

        try (Connection connection = DriverManager.getConnection(
                "jdbc:cairn://" + cluster.metaHostPort() + "/flood");
            Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("select count(*), sum(id) from t")) {
          assertTrue(result.next());
          assertEquals(ROWS, result.getLong(1));
          assertEquals((long) ROWS * (ROWS - 1) / 2, result.getLong(2));
        }
        CliRun status = CliRun.of("status", "--meta", cluster.metaHostPort());
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("flood.t"), status.out());
      } finally {
        for (IdleConnectionFlood flood : floods) {
          flood.close();
        }
      }
    }
  }
}
