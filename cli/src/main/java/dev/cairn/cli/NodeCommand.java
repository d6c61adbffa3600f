package dev.cairn.cli;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.MetaClient.ServiceAnswer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.MetaMessages.ForgetNode;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Lists and forgets storage nodes on the metadata services. Node records are kept per service
 * (donors heartbeat to each; they are not gossiped), so both subcommands ask every service
 * named and report each one's answer (docs/operations.md, "Forgetting a node").
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "List or forget storage nodes (donors) known to the metadata services.",
    subcommands = {NodeCommand.ListNodes.class, NodeCommand.Forget.class})
final class NodeCommand implements Runnable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Prints every service's nodes. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List each metadata service's storage nodes: id (fingerprint), address, "
          + "zone, live/dead, standing and audit score, time since the last heartbeat, bytes "
          + "and blobs held.")
  static final class ListNodes implements Callable<Integer> {
    @Mixin MetaOption metaOption;

    @Override
    public Integer call() {
      try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
        MetaClient client = new MetaClient(pool, metaOption.addresses(), TIMEOUT);
        List<ServiceAnswer<List<NodeInfo>>> answers = client.nodesByService();
        int answered = 0;
        for (ServiceAnswer<List<NodeInfo>> answer : answers) {
          String service = HostPort.format(answer.service());
          if (answer.failure() != null) {
            System.err.println("metadata service " + service + ": " + answer.failure()
                .getMessage());
            continue;
          }
          answered++;
          System.out.println("metadata service " + service + ": " + answer.value().size()
              + " nodes");
          print(answer.value());
        }
        if (answered == 0) {
          throw new CairnException(answers.get(0).failure().code(),
              "node list failed on every metadata service");
        }
      }
      return 0;
    }

    private static void print(List<NodeInfo> nodes) {
      System.out.printf(Locale.ROOT, "  %-18s %-22s %-18s %-5s %-12s %7s %10s %12s %8s%n",
          "NODE", "ADDRESS", "ZONE", "STATE", "STANDING", "SCORE", "HEARTBEAT", "HELD",
          "BLOBS");
      for (NodeInfo node : nodes) {
        System.out.printf(Locale.ROOT, "  %-18s %-22s %-18s %-5s %-12s %7.3f %10s %12s %8d%n",
            PublicKey.fromBytes(node.nodeKey()).fingerprint(), node.address(), node.zone(),
            node.live() ? "live" : "dead", node.standing(), node.reputation(),
            ago(node.silenceMillis()), Units.formatSize(node.usedBytes()), node.blobCount());
      }
    }

    private static String ago(long millis) {
      return millis < 10_000 ? String.format(Locale.ROOT, "%.1fs ago", millis / 1000.0)
          : Units.formatDuration(Duration.ofMillis(millis)) + " ago";
    }
  }

  /** Forgets one node on every service named. */
  @Command(name = "forget", mixinStandardHelpOptions = true,
      description = "Make the metadata services forget a storage node that is gone: it leaves "
          + "'cairn status' and 'node list'; if it heartbeats again it registers anew (a "
          + "disqualified node keeps its record). Each service named is asked; node records "
          + "are per service, not gossiped. A live node is refused (UNAUTHORIZED) unless "
          + "--force is given with the service's own key.")
  static final class Forget implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin MetaOption metaOption;

    @Parameters(index = "0", paramLabel = "ID",
        description = "The node's fingerprint (as 'node list' shows it) or public key (hex).")
    String id;

    @Option(names = "--force",
        description = "Forget the node even if it is live (it re-registers at its next "
            + "heartbeat); needs --service-key.")
    boolean force;

    @Option(names = "--service-key", paramLabel = "FILE",
        description = "The metadata service's own key (node.key in its data directory), to "
            + "sign a --force order; only its operator can read it.")
    Path serviceKey;

    @Override
    public Integer call() {
      if (force != (serviceKey != null)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--force and --service-key go together");
      }
      try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
        MetaClient client = new MetaClient(pool, metaOption.addresses(), TIMEOUT);
        byte[] key = resolve(client, id);
        ForgetNode order = order(key);
        List<String> forgotten = new ArrayList<>();
        CairnException firstFailure = null;
        for (ServiceAnswer<Boolean> answer : client.forgetNode(order)) {
          String service = HostPort.format(answer.service());
          if (answer.failure() == null) {
            forgotten.add(service);
            System.out.println("forgot node " + PublicKey.fromBytes(key).fingerprint() + " on "
                + service + (answer.value() ? " (it was live: it registers again at its next "
                + "heartbeat)" : ""));
          } else {
            firstFailure = firstFailure == null ? answer.failure() : firstFailure;
            System.err.println("metadata service " + service + ": "
                + answer.failure().getMessage());
          }
        }
        if (forgotten.isEmpty()) {
          throw firstFailure;
        }
      }
      return 0;
    }

    private ForgetNode order(byte[] key) {
      long now = System.currentTimeMillis();
      if (!force) {
        return ForgetNode.unforced(key, now);
      }
      SigningKey signer = KeyFiles.readSecretKey(serviceKey);
      byte[] signature = signer.sign(SignatureDomain.FORGET_NODE,
          ForgetNode.signedMessage(key, true, now));
      return new ForgetNode(key, true, now, signature);
    }

    /** Returns the public key the services list under {@code id}; NOT_FOUND if none does. */
    private static byte[] resolve(MetaClient client, String id) {
      if (id.length() == PublicKey.BYTES * 2) {
        return PublicKey.parse(id).toBytes();
      }
      for (ServiceAnswer<List<NodeInfo>> answer : client.nodesByService()) {
        for (NodeInfo node : answer.value() == null ? List.<NodeInfo>of() : answer.value()) {
          if (PublicKey.fromBytes(node.nodeKey()).fingerprint().toString()
              .equalsIgnoreCase(id)) {
            return node.nodeKey();
          }
        }
      }
      throw new CairnException(ErrorCode.NOT_FOUND, "no metadata service named knows a node "
          + id + " (see 'cairn node list')");
    }
  }
}
