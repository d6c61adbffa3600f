package dev.cairn.meta;

import static dev.cairn.meta.MetaServiceProbe.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.SignedManifest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a restart, and what a torn head log loses: only the torn record. */
class DurabilityTest {

  @TempDir Path dir;

  private MetadataService start() {
    return MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir));
  }

  @Test
  void restartKeepsIdentityNamesAndEveryVersion() {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    SignedManifest v2 = TestData.manifest(writer, "t", 2, v1);
    String firstKey;
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      firstKey = service.nodeKey().toHex();
      client.claim(writer, "acme");
      client.publish(v1);
      client.publish(v2);
    }
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      assertEquals(firstKey, service.nodeKey().toHex(), "node.key is reused");
      assertEquals(firstKey, org.junit.jupiter.api.Assertions.assertDoesNotThrow(
          () -> dev.cairn.wire.crypto.PublicKey.fromBytes(
              client.connection().peer().nodeKey()).toHex()), "HELLO carries the node key");
      assertEquals(2, client.versions("acme", "t").heads().size());
      assertArrayEquals(v2.encoded(), HeadRulesTest.single(client.head("acme", "t", 0))
          .manifest());
      expect(ErrorCode.NAME_TAKEN, () -> client.claim(TestData.newKey(), "acme"));
      expect(ErrorCode.STALE_VERSION, () -> client.publish(v1));
      client.publish(TestData.manifest(writer, "t", 3, v2));
    }
  }

  @Test
  void garbageAfterTheLastRecordIsTruncated() throws IOException {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      client.claim(writer, "acme");
      client.publish(v1);
    }
    Path log = dir.resolve(MetadataService.HEAD_LOG_FILE);
    long intact = Files.size(log);
    Files.write(log, new byte[] {0, 0, 0, 50, 1, 2, 3, 4, 2, 9, 9}, StandardOpenOption.APPEND);
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      assertEquals(intact, Files.size(log), "the torn tail is cut off");
      assertArrayEquals(v1.encoded(), HeadRulesTest.single(client.head("acme", "t", 0))
          .manifest());
      client.publish(TestData.manifest(writer, "t", 2, v1));
    }
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      assertEquals(2, client.versions("acme", "t").heads().size(), "appends after the cut");
    }
  }

  @Test
  void aHalfWrittenLastRecordIsDroppedAndEarlierOnesSurvive() throws IOException {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    SignedManifest v2 = TestData.manifest(writer, "t", 2, v1);
    Path log = dir.resolve(MetadataService.HEAD_LOG_FILE);
    long beforeV2;
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      client.claim(writer, "acme");
      client.publish(v1);
      beforeV2 = Files.size(log);
      client.publish(v2);
    }
    long full = Files.size(log);
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
      channel.truncate(beforeV2 + (full - beforeV2) / 2);
    }
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      assertEquals(beforeV2, Files.size(log));
      assertArrayEquals(v1.encoded(), HeadRulesTest.single(client.head("acme", "t", 0))
          .manifest());
      assertEquals(1, client.versions("acme", "t").heads().size());
      client.publish(v2); // the writer retries what was never acknowledged
    }
  }

  @Test
  void aFlippedByteInTheLastRecordIsCaughtByItsChecksum() throws IOException {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    Path log = dir.resolve(MetadataService.HEAD_LOG_FILE);
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      client.claim(writer, "acme");
      client.publish(v1);
    }
    byte[] bytes = Files.readAllBytes(log);
    bytes[bytes.length - 10] ^= 0x40;
    Files.write(log, bytes);
    try (MetadataService service = start(); MetaServiceProbe client = client(service)) {
      expect(ErrorCode.NOT_FOUND, () -> client.head("acme", "t", 0));
      expect(ErrorCode.NAME_TAKEN, () -> client.claim(TestData.newKey(), "acme"));
    }
  }

  @Test
  void twoServicesCannotShareADataDirectory() {
    try (MetadataService service = start()) {
      String message = expect(ErrorCode.IO_ERROR, this::start).getMessage();
      assertTrue(message.contains("in use"), message);
    }
  }

  @Test
  void aForeignFileIsNotTakenForAHeadLog() throws IOException {
    Files.writeString(dir.resolve(MetadataService.HEAD_LOG_FILE), "hello, not a log");
    expect(ErrorCode.IO_ERROR, this::start);
    assertEquals("hello, not a log",
        Files.readString(dir.resolve(MetadataService.HEAD_LOG_FILE)), "left untouched");
  }

  private static MetaServiceProbe client(MetadataService service) {
    return new MetaServiceProbe(service.address());
  }
}
