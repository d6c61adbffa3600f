package dev.cairn.cli;

import dev.cairn.server.StorageServerConfig;
import dev.cairn.server.store.QuotaLedger;
import dev.cairn.server.store.QuotaLedger.KeyUsage;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.DataFormat;
import dev.cairn.wire.Units;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shows what a donor stores per writer key, from its own ledger ({@code ledger.log}): blobs,
 * bytes and quota. It reads the file without the data directory's lock, so it works beside
 * the running donor; quotas come from the same flags and config file as {@code cairn server}.
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
    description = "Show what this donor stores per writer key (blobs, bytes, quota, share of "
        + "the quota), read from its ledger; works while the donor runs. A blob two writers "
        + "uploaded counts for both.")
final class ServerUsageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "The donor's data directory (or 'data' in --config).")
  Path data;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The donor's config file, for its data directory and quotas.")
  Path config;

  @Option(names = "--default-quota", paramLabel = "SIZE",
      description = "Quota of keys not named by --quota, as given to the donor (default: the "
          + "config file's, else 1GiB).")
  String defaultQuota;

  @Option(names = "--quota", paramLabel = "FINGERPRINT=SIZE",
      description = "Quota of one writer key, as given to the donor. Repeatable.")
  Map<String, String> quotas = new java.util.LinkedHashMap<>();

  @Override
  public Integer call() throws IOException {
    StorageServerConfig donor = donorConfig();
    Path directory = donor.dataDirectory();
    if (!Files.isDirectory(directory)) {
      throw new CairnException(dev.cairn.wire.ErrorCode.NOT_FOUND, "no donor data directory "
          + directory);
    }
    DataFormat.checkReadOnly(directory, DataFormat.Kind.DONOR);
    Map<String, KeyUsage> usage = QuotaLedger.readUsage(directory);
    System.out.printf(Locale.ROOT, "%-18s %10s %14s %14s %7s%n", "WRITER KEY", "BLOBS", "BYTES",
        "QUOTA", "USE");
    long blobs = 0;
    long bytes = 0;
    for (Map.Entry<String, KeyUsage> entry : usage.entrySet()) {
      KeyUsage key = entry.getValue();
      long quota = donor.quotaBytesByKey().getOrDefault(entry.getKey(),
          donor.defaultQuotaBytes());
      System.out.printf(Locale.ROOT, "%-18s %10d %14s %14s %7s%n", entry.getKey(), key.blobs(),
          Units.formatSize(key.bytes()), Units.formatSize(quota), share(key.bytes(), quota));
      blobs += key.blobs();
      bytes += key.bytes();
    }
    if (usage.isEmpty()) {
      System.out.println("(no writer has stored anything here)");
    }
    System.out.printf(Locale.ROOT, "%-18s %10d %14s   (charged; a shared blob counts per "
        + "writer)%n", "total", blobs, Units.formatSize(bytes));
    return 0;
  }

  private static String share(long bytes, long quota) {
    return quota == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * bytes / quota);
  }

  /** Returns the donor's settings by the precedence rule, for its directory and quotas. */
  private StorageServerConfig donorConfig() {
    Properties flags = new Properties();
    ConfigFlags.put(flags, StorageServerConfig.DATA, data);
    ConfigFlags.put(flags, StorageServerConfig.DEFAULT_QUOTA, defaultQuota);
    quotas.forEach((fingerprint, size) ->
        flags.setProperty(StorageServerConfig.QUOTA_PREFIX + fingerprint, size));
    return ConfigFlags.load(spec, () -> StorageServerConfig.load(config, flags));
  }
}
