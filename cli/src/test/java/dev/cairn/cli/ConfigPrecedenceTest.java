package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.MetaDefault;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Goal: one precedence rule for every setting of both servers, as the operator types it: a
 * flag given beats the config file, which beats the default. Each key is run three ways
 * through the real picocli command (neither, file only, file and flag). The tables must name
 * every config key and every flag, so a new key without a case fails here (issue 15: a flag
 * default once hid the file's {@code listen}).
 */
class ConfigPrecedenceTest {
  private static final String FINGERPRINT = SigningKey.generate(new SecureRandom()).publicKey()
      .fingerprint().toString();
  /** Marks a key that has no default: leaving it out is a usage error. */
  private static final Object REQUIRED = new Object();

  @TempDir Path dir;

  /**
   * One key: the line the file gives, the flag and its value, how to read the effective value
   * back, and what each layer must yield.
   */
  record Case<C>(String key, String fileLine, String flag, String flagValue,
      Function<C, Object> read, Object fromDefault, Object fromFile, Object fromFlag) {}

  private static List<Case<StorageServerConfig>> serverCases() {
    List<Case<StorageServerConfig>> cases = new ArrayList<>();
    cases.add(new Case<>("listen", "listen = 127.0.0.1:7474", "--listen", "[::1]:7475",
        c -> new HostPort(c.listenHost(), c.listenPort()), new HostPort("127.0.0.1", 7470),
        new HostPort("127.0.0.1", 7474), new HostPort("::1", 7475)));
    cases.add(new Case<>("data", "data = from-file", "--data", "from-flag",
        StorageServerConfig::dataDirectory, REQUIRED, Path.of("from-file"),
        Path.of("from-flag")));
    cases.add(new Case<>("advertise", "advertise = file.example.org:9000", "--advertise",
        "flag.example.org:9001", StorageServerConfig::advertisedAddress, null,
        "file.example.org:9000", "flag.example.org:9001"));
    cases.add(new Case<>("meta", "meta = m1.example.org:7400, m2.example.org:7400", "--meta",
        "m3.example.org:7401", c -> c.metaServices().stream().map(HostPort::format).toList(),
        List.of(MetaDefault.ADDRESS), List.of("m1.example.org:7400", "m2.example.org:7400"),
        List.of("m3.example.org:7401")));
    cases.add(new Case<>("capacity", "capacity = 100GiB", "--capacity", "200GiB",
        StorageServerConfig::capacityBytes, 0L, 100L << 30, 200L << 30));
    cases.add(new Case<>("default-quota", "default-quota = 2GiB", "--default-quota", "3GiB",
        StorageServerConfig::defaultQuotaBytes, 1L << 30, 2L << 30, 3L << 30));
    cases.add(new Case<>("quota.", "quota." + FINGERPRINT + " = 5GiB", "--quota",
        FINGERPRINT + "=6GiB", StorageServerConfig::quotaBytesByKey, Map.of(),
        Map.of(FINGERPRINT, 5L << 30), Map.of(FINGERPRINT, 6L << 30)));
    cases.add(new Case<>("upload-limit", "upload-limit = 20MiB/s", "--upload-limit", "30MiB/s",
        StorageServerConfig::uploadBytesPerSecond, 0L, 20L << 20, 30L << 20));
    cases.add(new Case<>("download-limit", "download-limit = 40MiB/s", "--download-limit",
        "1MiB/s", StorageServerConfig::downloadBytesPerSecond, 0L, 40L << 20, 1L << 20));
    cases.add(new Case<>("connections-max", "connections-max = 50", "--connections-max", "60",
        StorageServerConfig::connectionsMax, 1024, 50, 60));
    cases.add(new Case<>("connections-per-address-max", "connections-per-address-max = 30",
        "--connections-per-address-max", "40", StorageServerConfig::connectionsPerAddressMax,
        128, 30, 40));
    cases.add(new Case<>("heartbeat-interval", "heartbeat-interval = 5s",
        "--heartbeat-interval", "7s", StorageServerConfig::heartbeatInterval,
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(7)));
    cases.add(new Case<>("zone", "zone = building-1", "--zone", "building-2",
        StorageServerConfig::zone, null, "building-1", "building-2"));
    cases.add(new Case<>("repair-interval", "repair-interval = 10s", "--repair-interval",
        "11s", c -> c.heal().repairInterval(), Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofSeconds(11)));
    cases.add(new Case<>("repair-limit", "repair-limit = 5MiB/s", "--repair-limit", "6MiB/s",
        c -> c.heal().repairBytesPerSecond(), 100L << 20, 5L << 20, 6L << 20));
    cases.add(new Case<>("scrub-interval", "scrub-interval = 6h", "--scrub-interval", "7h",
        c -> c.heal().scrubInterval(), Duration.ofHours(1), Duration.ofHours(6),
        Duration.ofHours(7)));
    cases.add(new Case<>("scrub-rate", "scrub-rate = 10MiB/s", "--scrub-rate", "11MiB/s",
        c -> c.heal().scrubBytesPerSecond(), 50L << 20, 10L << 20, 11L << 20));
    cases.add(new Case<>("audit-interval", "audit-interval = 20s", "--audit-interval", "21s",
        c -> c.heal().auditInterval(), Duration.ofSeconds(10), Duration.ofSeconds(20),
        Duration.ofSeconds(21)));
    cases.add(new Case<>("orphan-grace", "orphan-grace = 12h", "--orphan-grace", "13h",
        c -> c.heal().orphanGrace(), Duration.ofHours(24), Duration.ofHours(12),
        Duration.ofHours(13)));
    cases.add(new Case<>("keep-versions.", "keep-versions." + FINGERPRINT + " = 2",
        "--keep-versions", FINGERPRINT + "=3", c -> c.heal().keepVersionsByKey(), Map.of(),
        Map.of(FINGERPRINT, 2), Map.of(FINGERPRINT, 3)));
    cases.add(new Case<>("metrics", "metrics = 127.0.0.1:9471", "--metrics", "[::1]:9472",
        StorageServerConfig::metrics, null, new HostPort("127.0.0.1", 9471),
        new HostPort("::1", 9472)));
    cases.add(new Case<>("readers", "readers = members", "--readers", "contributors:0.5",
        c -> c.readers().toString(), "any", "members", "contributors:0.5"));
    return cases;
  }

  private static List<Case<MetadataServiceConfig>> metaCases() {
    List<Case<MetadataServiceConfig>> cases = new ArrayList<>();
    cases.add(new Case<>("listen", "listen = 127.0.0.1:7464", "--listen", "[::1]:7465",
        c -> new HostPort(c.host(), c.port()), new HostPort("127.0.0.1", 7460),
        new HostPort("127.0.0.1", 7464), new HostPort("::1", 7465)));
    cases.add(new Case<>("data", "data = from-file", "--data", "from-flag",
        MetadataServiceConfig::dataDir, REQUIRED, Path.of("from-file"), Path.of("from-flag")));
    cases.add(new Case<>("peer", "peer = m1.example.org:7460, m2.example.org:7460", "--peer",
        "m3.example.org:7461", c -> c.peers().stream().map(HostPort::format).toList(),
        List.of(), List.of("m1.example.org:7460", "m2.example.org:7460"),
        List.of("m3.example.org:7461")));
    cases.add(new Case<>("dead-after", "dead-after = 10s", "--dead-after", "11s",
        MetadataServiceConfig::deadAfter, Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofSeconds(11)));
    cases.add(new Case<>("connections-max", "connections-max = 50", "--connections-max", "60",
        MetadataServiceConfig::connectionsMax, 1024, 50, 60));
    cases.add(new Case<>("connections-per-address-max", "connections-per-address-max = 30",
        "--connections-per-address-max", "40", MetadataServiceConfig::connectionsPerAddressMax,
        128, 30, 40));
    cases.add(new Case<>("gossip-interval", "gossip-interval = 3s", "--gossip-interval", "4s",
        MetadataServiceConfig::gossipInterval, Duration.ofSeconds(2), Duration.ofSeconds(3),
        Duration.ofSeconds(4)));
    cases.add(new Case<>("audit-every", "audit-every = 20s", "--audit-every", "21s",
        c -> c.audit().interval(), Duration.ofSeconds(60), Duration.ofSeconds(20),
        Duration.ofSeconds(21)));
    cases.add(new Case<>("credit-period", "credit-period = 2d", "--credit-period", "3d",
        c -> c.ledger().creditPeriod(), Duration.ofDays(1), Duration.ofDays(2),
        Duration.ofDays(3)));
    cases.add(new Case<>("starter-allowance", "starter-allowance = 2GiB", "--starter-allowance",
        "3GiB", c -> c.ledger().starterAllowanceBytes(), 1L << 30, 2L << 30, 3L << 30));
    cases.add(new Case<>("metrics", "metrics = 127.0.0.1:9471", "--metrics", "[::1]:9472",
        MetadataServiceConfig::metrics, null, new HostPort("127.0.0.1", 9471),
        new HostPort("::1", 9472)));
    return cases;
  }

  @Test
  void everyDonorKeyFollowsFlagThenFileThenDefault() throws IOException {
    List<Case<StorageServerConfig>> cases = serverCases();
    Set<String> keys = new HashSet<>(StorageServerConfig.KEYS);
    keys.addAll(StorageServerConfig.KEY_PREFIXES);
    assertCovered(keys, cases, new CommandLine(new ServerCommand()));
    for (Case<StorageServerConfig> c : cases) {
      check(c, args -> {
        CommandLine line = new CommandLine(new ServerCommand());
        line.parseArgs(args);
        return line.<ServerCommand>getCommand().serverConfig();
      });
      StorageServerConfig flagged = donor(c, true, true);
      assertTrue(flagged.describe(1, "z").contains(c.key()), "the start line names " + c.key());
    }
  }

  @Test
  void everyMetadataServiceKeyFollowsFlagThenFileThenDefault() throws IOException {
    List<Case<MetadataServiceConfig>> cases = metaCases();
    assertCovered(MetadataServiceConfig.KEYS, cases, new CommandLine(new MetaCommand()));
    for (Case<MetadataServiceConfig> c : cases) {
      check(c, args -> {
        CommandLine line = new CommandLine(new MetaCommand());
        line.parseArgs(args);
        return line.<MetaCommand>getCommand().serviceConfig();
      });
      MetadataServiceConfig flagged = parseMeta(c, true, true);
      assertTrue(flagged.describe().contains(c.key()), "the start line names " + c.key());
    }
  }

  @Test
  void logLevelFollowsFlagThenFileThenDefaultForBothServers() throws IOException {
    Path config = dir.resolve("levels.properties");
    Files.writeString(config, "data = " + dir.resolve("data") + "\nlog-level = warn\n");
    String data = dir.resolve("data").toString();
    for (Function<String[], Level> parse : List.<Function<String[], Level>>of(args -> {
      CommandLine line = new CommandLine(new ServerCommand());
      line.parseArgs(args);
      line.<ServerCommand>getCommand().serverConfig(); // the file's log-level is a known key
      return line.<ServerCommand>getCommand().logLevel();
    }, args -> {
      CommandLine line = new CommandLine(new MetaCommand());
      line.parseArgs(args);
      line.<MetaCommand>getCommand().serviceConfig();
      return line.<MetaCommand>getCommand().logLevel();
    })) {
      assertEquals(Level.INFO, parse.apply(new String[] {"--data", data}));
      assertEquals(Level.WARNING, parse.apply(new String[] {"--config", config.toString()}));
      assertEquals(Level.FINE, parse.apply(new String[] {"--config", config.toString(),
          "--log-level", "debug"}));
      assertThrows(CommandLine.ParameterException.class, () -> parse.apply(new String[] {
          "--data", data, "--log-level", "loud"}), "an unknown level is a usage error");
    }
  }

  /** The cases name exactly the config keys, and their flags exactly the command's options. */
  private static void assertCovered(Set<String> keys, List<? extends Case<?>> cases,
      CommandLine command) {
    assertEquals(new TreeSet<>(keys), new TreeSet<>(cases.stream().map(Case::key).toList()),
        "every config key needs a precedence case");
    Set<String> flags = new TreeSet<>();
    for (OptionSpec option : command.getCommandSpec().options()) {
      flags.add(option.longestName());
    }
    // log-level is common to both servers (ConfigLayers.COMMON_KEYS): logLevelFollows... below.
    flags.removeAll(Set.of("--config", "--help", "--version", "--log-level"));
    assertEquals(flags, new TreeSet<>(cases.stream().map(Case::flag).toList()),
        "every flag is a config key with a precedence case");
  }

  private <C> void check(Case<C> c, Function<String[], C> parse) throws IOException {
    if (c.fromDefault() == REQUIRED) {
      assertThrows(CommandLine.ParameterException.class, () -> parse.apply(args(c, false,
          false)), c.key() + " is required");
    } else {
      assertEquals(c.fromDefault(), c.read().apply(parse.apply(args(c, false, false))),
          c.key() + ": the default when neither file nor flag names it");
    }
    assertEquals(c.fromFile(), c.read().apply(parse.apply(args(c, true, false))),
        c.key() + ": the file beats the default");
    assertEquals(c.fromFlag(), c.read().apply(parse.apply(args(c, true, true))),
        c.key() + ": the flag given beats the file");
  }

  private StorageServerConfig donor(Case<StorageServerConfig> c, boolean file, boolean flag)
      throws IOException {
    CommandLine line = new CommandLine(new ServerCommand());
    line.parseArgs(args(c, file, flag));
    return line.<ServerCommand>getCommand().serverConfig();
  }

  private MetadataServiceConfig parseMeta(Case<MetadataServiceConfig> c, boolean file,
      boolean flag) throws IOException {
    CommandLine line = new CommandLine(new MetaCommand());
    line.parseArgs(args(c, file, flag));
    return line.<MetaCommand>getCommand().serviceConfig();
  }

  /** The command line for one layer: the data directory unless under test, file, flag. */
  private String[] args(Case<?> c, boolean file, boolean flag) throws IOException {
    List<String> args = new ArrayList<>();
    if (!c.key().equals("data")) {
      args.addAll(List.of("--data", dir.resolve("data").toString()));
    }
    if (file) {
      Path config = dir.resolve("cairn.properties");
      Files.writeString(config, c.fileLine() + "\n");
      args.addAll(List.of("--config", config.toString()));
    }
    if (flag) {
      args.addAll(List.of(c.flag(), c.flagValue()));
    }
    return args.toArray(String[]::new);
  }
}
