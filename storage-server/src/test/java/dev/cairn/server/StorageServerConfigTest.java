package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageServerConfigTest {
  @TempDir Path dir;

  private static Properties properties(String... keysAndValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }

  @Test
  void readsEveryKeyAndFlagsOverrideTheFile() throws Exception {
    String fingerprint = SigningKey.generate(TestClient.RANDOM).publicKey().fingerprint()
        .toString();
    Path file = dir.resolve("donor.properties");
    Files.writeString(file, String.join("\n", "data = " + dir.resolve("d"),
        "listen = 127.0.0.1:9000", "advertise = donor.example.org:9000",
        "meta = m1.example.org:7400, [::1]:7401", "capacity = 100GiB",
        "default-quota = 2GiB", "quota." + fingerprint + " = 5GiB", "upload-limit = 20MiB/s",
        "download-limit = 40MiB/s", "connections-max = 50", "heartbeat-interval = 5s", ""));
    StorageServerConfig config = StorageServerConfig.load(file,
        properties("download-limit", "1MiB/s", "listen", "0.0.0.0"));

    assertEquals(dir.resolve("d"), config.dataDirectory());
    assertEquals("0.0.0.0", config.listenHost());
    assertEquals(StorageServerConfig.DEFAULT_PORT, config.listenPort());
    assertEquals("donor.example.org:9000", config.advertisedAddress());
    assertEquals(2, config.metaServices().size());
    assertEquals("::1", config.metaServices().get(1).getHostString());
    assertEquals(7401, config.metaServices().get(1).getPort());
    assertEquals(100L << 30, config.capacityBytes());
    assertEquals(2L << 30, config.defaultQuotaBytes());
    assertEquals(Map.of(fingerprint, 5L << 30), config.quotaBytesByKey());
    assertEquals(20L << 20, config.uploadBytesPerSecond());
    assertEquals(1L << 20, config.downloadBytesPerSecond(), "the flag wins over the file");
    assertEquals(50, config.connectionsMax());
    assertEquals(Duration.ofSeconds(5), config.heartbeatInterval());
  }

  @Test
  void readsTheHealingKeys() {
    String fingerprint = SigningKey.generate(TestClient.RANDOM).publicKey().fingerprint()
        .toString();
    StorageServerConfig config = StorageServerConfig.fromProperties(properties("data", "d",
        "repair-interval", "10s", "repair-limit", "5MiB/s", "scrub-interval", "6h",
        "scrub-rate", "10MiB/s", "keep-versions." + fingerprint, "2"));
    assertEquals(Duration.ofSeconds(10), config.heal().repairInterval());
    assertEquals(5L << 20, config.heal().repairBytesPerSecond());
    assertEquals(Duration.ofHours(6), config.heal().scrubInterval());
    assertEquals(10L << 20, config.heal().scrubBytesPerSecond());
    assertEquals(Map.of(fingerprint, 2), config.heal().keepVersionsByKey());
    StorageServerConfig defaults = StorageServerConfig.fromProperties(properties("data", "d"));
    assertEquals(Duration.ofHours(1), defaults.heal().scrubInterval());
    assertEquals(50L << 20, defaults.heal().scrubBytesPerSecond());
    assertBadFormat("keep at least 1", properties("data", "d", "keep-versions." + fingerprint,
        "0"));
    assertBadFormat("fingerprint", properties("data", "d", "keep-versions.ALICE", "3"));
    assertBadFormat("intervals", properties("data", "d", "scrub-interval", "0s"));
  }

  @Test
  void defaultsNeedOnlyTheDataDirectory() {
    StorageServerConfig config = StorageServerConfig.fromProperties(
        properties("data", dir.toString()));
    assertEquals(StorageServerConfig.CAPACITY_AUTO, config.capacityBytes());
    assertEquals(StorageServerConfig.DEFAULT_QUOTA_BYTES, config.defaultQuotaBytes());
    assertEquals(0, config.uploadBytesPerSecond());
    assertEquals(0, config.downloadBytesPerSecond());
    assertEquals(1024, config.connectionsMax());
    assertEquals(Duration.ofSeconds(2), config.heartbeatInterval());
    assertEquals(List.of(dev.cairn.wire.MetaDefault.ADDRESS), config.metaServices().stream()
        .map(dev.cairn.wire.HostPort::format).toList(), "every --meta's one default");
    assertNull(config.advertisedAddress());
  }

  @Test
  void mistakesAreNamedErrors() {
    assertBadFormat("'data'", properties());
    assertBadFormat("capacty", properties("data", "d", "capacty", "1GiB"));
    assertBadFormat("upload-limit", properties("data", "d", "upload-limit", "20MiB"));
    assertBadFormat("fingerprint", properties("data", "d", "quota.ALICE", "1GiB"));
    assertBadFormat("meta", properties("data", "d", "meta", "host-without-port"));
    assertBadFormat("connections-max", properties("data", "d", "connections-max", "0"));
    assertBadFormat("'zone'", properties("data", "d", "zone", "rack 1"));
    assertBadFormat("'zone'", properties("data", "d", "zone", "r".repeat(65)));
    CairnException missing = assertThrows(CairnException.class,
        () -> StorageServerConfig.load(dir.resolve("absent.properties"), null));
    assertEquals(ErrorCode.IO_ERROR, missing.code());
  }

  private static void assertBadFormat(String named, Properties properties) {
    CairnException error = assertThrows(CairnException.class,
        () -> StorageServerConfig.fromProperties(properties));
    assertEquals(ErrorCode.BAD_FORMAT, error.code());
    assertTrue(error.getMessage().contains(named), error::getMessage);
  }
}
