package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.DataFormat;
import dev.cairn.wire.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 15, upgrades): a donor's and a metadata service's data directory carry a format
 * file; a directory written by the current format (or from before the file existed) starts
 * again with what it held; a newer format is refused with DATA_VERSION saying what to do, a
 * directory of the other kind of server with BAD_CONFIG, and the CLI exits 1 naming the error.
 */
class DataFormatTest {
  @TempDir Path dir;

  @Test
  void aDonorDirectoryOfTheCurrentFormatStartsAgainAndANewerOneIsRefused() throws Exception {
    Path data = dir.resolve("donor");
    ContentId id;
    StorageServerConfig config = StorageServerConfig.defaults(data).withListen("127.0.0.1", 0);
    try (StorageServer server = StorageServer.start(config)) {
      byte[] blob = "kept across restarts".getBytes(StandardCharsets.UTF_8);
      id = ContentId.of(blob);
      server.store().put(id, java.nio.ByteBuffer.wrap(blob));
    }
    assertEquals(formatText("donor", 2), Files.readString(data.resolve(DataFormat.FILE)));

    Files.delete(data.resolve(DataFormat.FILE)); // as written before format files existed
    try (StorageServer server = StorageServer.start(config)) {
      assertTrue(server.store().contains(id), "the blob is still held");
    }
    assertEquals(formatText("donor", 2), Files.readString(data.resolve(DataFormat.FILE)),
        "the file is written on start");

    Files.writeString(data.resolve(DataFormat.FILE), formatText("donor", 3));
    CairnException newer = assertThrows(CairnException.class,
        () -> StorageServer.start(config));
    assertEquals(ErrorCode.DATA_VERSION, newer.code());
    assertTrue(newer.getMessage().contains("format 3, written by a newer cairn"),
        newer.getMessage());
    CliRun refused = CliRun.of("server", "--data", data.toString(), "--listen", "127.0.0.1:0");
    assertEquals(Main.EXIT_FAILED, refused.exit());
    assertTrue(refused.err().contains("DATA_VERSION"), refused.err());

    // Format 1 named blobs by their SHA-256: this cairn could neither check nor serve them.
    Files.writeString(data.resolve(DataFormat.FILE), formatText("donor", 1));
    CairnException sha256Ids = assertThrows(CairnException.class,
        () -> StorageServer.start(config));
    assertEquals(ErrorCode.DATA_VERSION, sha256Ids.code());
    assertTrue(sha256Ids.getMessage().contains("format 1: its batches are named by the SHA-256"),
        sha256Ids.getMessage());

    Files.writeString(data.resolve(DataFormat.FILE), formatText("donor", 2));
    CairnException otherKind = assertThrows(CairnException.class, () -> MetadataService.start(
        MetadataServiceConfig.of("127.0.0.1", 0, data)));
    assertEquals(ErrorCode.BAD_CONFIG, otherKind.code(), otherKind.getMessage());
  }

  @Test
  void aMetadataServiceDirectoryOfTheCurrentFormatStartsAgainAndANewerOneIsRefused()
      throws Exception {
    Path data = dir.resolve("meta");
    MetadataServiceConfig config = MetadataServiceConfig.of("127.0.0.1", 0, data);
    String key;
    try (MetadataService service = MetadataService.start(config)) {
      key = service.nodeKey().fingerprint().toString();
    }
    assertEquals(formatText("metadata-service", 2),
        Files.readString(data.resolve(DataFormat.FILE)));
    Files.delete(data.resolve(DataFormat.FILE));
    try (MetadataService service = MetadataService.start(config)) {
      assertEquals(key, service.nodeKey().fingerprint().toString(), "same identity");
    }
    Files.writeString(data.resolve(DataFormat.FILE), "kind=metadata-service\nformat=7\n");
    CairnException newer = assertThrows(CairnException.class,
        () -> MetadataService.start(config));
    assertEquals(ErrorCode.DATA_VERSION, newer.code());
    Files.writeString(data.resolve(DataFormat.FILE), "kind=metadata-service\nformat=x\n");
    assertEquals(ErrorCode.DATA_VERSION, assertThrows(CairnException.class,
        () -> MetadataService.start(config)).code());
    CliRun refused = CliRun.of("meta", "--data", data.toString(), "--listen", "127.0.0.1:0");
    assertEquals(Main.EXIT_FAILED, refused.exit());
    assertTrue(refused.err().contains("DATA_VERSION"), refused.err());
  }

  private static String formatText(String kind, int format) {
    return "# Cairn data directory: do not edit; see docs/operations.md, \"Upgrades\"\n"
        + "kind=" + kind + "\nformat=" + format + "\n";
  }
}
