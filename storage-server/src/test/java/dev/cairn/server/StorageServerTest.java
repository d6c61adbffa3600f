package dev.cairn.server;

import static dev.cairn.server.TestClient.putPayload;
import static dev.cairn.server.TestClient.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.HasBlobs;
import dev.cairn.wire.message.BlobMessages.HasResult;
import dev.cairn.wire.message.BlobMessages.KeyUsage;
import dev.cairn.wire.message.BlobMessages.ListBlobs;
import dev.cairn.wire.message.BlobMessages.ListResult;
import dev.cairn.wire.message.BlobMessages.PutBlob;
import dev.cairn.wire.message.BlobMessages.StatsResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageServerTest {
  @TempDir Path data;

  private final SigningKey writer = SigningKey.generate(TestClient.RANDOM);
  private final List<AutoCloseable> open = new ArrayList<>();

  private StorageServerConfig config() {
    return StorageServerConfig.defaults(data).withListen("127.0.0.1", 0)
        .withStorage(64L << 20, 16L << 20, Map.of());
  }

  private StorageServer start(StorageServerConfig config) {
    StorageServer server = StorageServer.start(config);
    open.add(server);
    return server;
  }

  private TestClient client(StorageServer server) {
    TestClient client = new TestClient(server.address());
    open.add(0, client);
    return client;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  /** A capacity larger than the disk can take is accepted (disks grow) but warned about. */
  @Test
  void aCapacityBeyondTheDiskIsWarnedAboutAtStart() throws Exception {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(
        StorageServer.class.getName());
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        if (record.getLevel() == java.util.logging.Level.WARNING) {
          warnings.add(record.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    try {
      long free = Files.getFileStore(data.getParent()).getUsableSpace();
      start(config().withStorage(free + (1L << 40), 16L << 20, Map.of())).close();
      assertTrue(warnings.stream().anyMatch(w -> w.contains("is more than the disk")),
          warnings.toString());
      warnings.clear();
      start(config().withListen("127.0.0.1", 0)).close(); // 64 MiB: the disk has room
      assertFalse(warnings.stream().anyMatch(w -> w.contains("is more than the disk")),
          warnings.toString());
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void storesAndServesWholeBlobsAndRanges() {
    StorageServer server = start(config());
    TestClient client = client(server);
    byte[] bytes = randomBytes(100_000);
    ContentId id = ContentId.of(bytes);

    assertTrue(client.put(writer, bytes));
    assertArrayEquals(bytes, client.get(id, 0, 0, bytes.length));
    assertArrayEquals(Arrays.copyOfRange(bytes, 10, 1010), client.get(id, 10, 1000, bytes.length));
    assertArrayEquals(Arrays.copyOfRange(bytes, 99_000, 100_000),
        client.get(id, 99_000, 5_000, bytes.length), "a range past the end is clamped");
    assertEquals(0, client.get(id, 200_000, 10, bytes.length).length);
    assertEquals(100_000 + 1000 + 1000, server.servedBytes());
    assertEquals(100_000, server.receivedBytes());
    assertEquals(4, server.counters().requests(FrameType.GET_BLOB));
    assertEquals(1, server.counters().requests(FrameType.PUT_BLOB));
  }

  @Test
  void putOfHeldBlobIsOkButNotStoredAgain() {
    StorageServer server = start(config());
    TestClient client = client(server);
    byte[] bytes = randomBytes(5000);
    assertTrue(client.put(writer, bytes));
    assertFalse(client.put(writer, bytes));
    assertEquals(1, server.store().count());
    assertEquals(5000, server.ledger().usedBytes(writer.publicKey().fingerprint().toString()));
  }

  @Test
  void badSignatureIsUnauthorized() {
    StorageServer server = start(config());
    TestClient client = client(server);
    byte[] bytes = randomBytes(1000);
    ContentId id = ContentId.of(bytes);
    byte[] signature = writer.sign(SignatureDomain.PUT_BLOB, PutBlob.signedMessage(id, 1000));
    signature[5] ^= 1;
    ByteBuf payload = new PutBlob(id, writer.publicKey().toBytes(), signature,
        Unpooled.wrappedBuffer(bytes)).encode(ByteBufAllocator.DEFAULT);
    CairnException error = client.fails(ErrorCode.UNAUTHORIZED, FrameType.PUT_BLOB, payload);
    assertTrue(error.getMessage().contains("upload signature does not verify"), error::getMessage);
    assertFalse(server.store().contains(id));
  }

  @Test
  void signatureCannotBeReplayedForOtherBytesOrSize() {
    StorageServer server = start(config());
    TestClient client = client(server);
    byte[] signedBytes = randomBytes(1000);
    byte[] otherBytes = randomBytes(1000);
    byte[] signature = writer.sign(SignatureDomain.PUT_BLOB,
        PutBlob.signedMessage(ContentId.of(signedBytes), 1000));
    // Another blob under the signature of the first one.
    client.fails(ErrorCode.UNAUTHORIZED, FrameType.PUT_BLOB, new PutBlob(ContentId.of(otherBytes),
        writer.publicKey().toBytes(), signature, Unpooled.wrappedBuffer(otherBytes))
        .encode(ByteBufAllocator.DEFAULT));
    // The right id, but signed for another size.
    client.fails(ErrorCode.UNAUTHORIZED, FrameType.PUT_BLOB,
        putPayload(writer, ContentId.of(otherBytes), 999, otherBytes));
    // Signed by one key, claimed for another.
    SigningKey other = SigningKey.generate(TestClient.RANDOM);
    client.fails(ErrorCode.UNAUTHORIZED, FrameType.PUT_BLOB, new PutBlob(ContentId.of(
        signedBytes), other.publicKey().toBytes(), signature, Unpooled.wrappedBuffer(signedBytes))
        .encode(ByteBufAllocator.DEFAULT));
    assertEquals(0, server.store().count());
  }

  @Test
  void bytesNotMatchingTheirIdAreBadHash() {
    StorageServer server = start(config());
    TestClient client = client(server);
    byte[] claimed = randomBytes(1000);
    byte[] sent = claimed.clone();
    sent[500] ^= 1;
    ContentId id = ContentId.of(claimed);
    client.fails(ErrorCode.BAD_HASH, FrameType.PUT_BLOB, putPayload(writer, id, 1000, sent));
    assertEquals(0, server.store().count());
    assertEquals(0, server.ledger().usedBytes(writer.publicKey().fingerprint().toString()));
  }

  @Test
  void quotaRefusesWhatDoesNotFitAndStoresNothing() {
    String fingerprint = writer.publicKey().fingerprint().toString();
    StorageServer server = start(config().withStorage(1L << 20, 1L << 20,
        Map.of(fingerprint, 1024L)));
    TestClient client = client(server);
    byte[] bytes = randomBytes(2048);
    CairnException error = client.fails(ErrorCode.QUOTA_EXCEEDED, FrameType.PUT_BLOB,
        putPayload(writer, ContentId.of(bytes), bytes.length, bytes));
    assertTrue(error.getMessage().contains(fingerprint), error::getMessage);
    assertEquals(0, server.store().count());
    assertTrue(client.put(writer, randomBytes(1000)), "what fits is still accepted");
    assertTrue(client.put(SigningKey.generate(TestClient.RANDOM), bytes),
        "another key has the default quota");
  }

  @Test
  void quotaZeroRefusesTheKey() {
    String fingerprint = writer.publicKey().fingerprint().toString();
    StorageServer server = start(config().withStorage(1L << 20, 1L << 20,
        Map.of(fingerprint, 0L)));
    TestClient client = client(server);
    byte[] bytes = randomBytes(1);
    client.fails(ErrorCode.QUOTA_EXCEEDED, FrameType.PUT_BLOB,
        putPayload(writer, ContentId.of(bytes), 1, bytes));
    assertEquals(0, server.store().count());
  }

  @Test
  void fullCapacityRefusesUploads() {
    StorageServer server = start(config().withStorage(3000, 1L << 20, Map.of()));
    TestClient client = client(server);
    assertTrue(client.put(writer, randomBytes(2000)));
    byte[] bytes = randomBytes(2000);
    client.fails(ErrorCode.CAPACITY_FULL, FrameType.PUT_BLOB,
        putPayload(writer, ContentId.of(bytes), bytes.length, bytes));
    assertEquals(1, server.store().count());
    assertEquals(2000, server.ledger().usedBytes(writer.publicKey().fingerprint().toString()),
        "a refused upload is not charged");
  }

  @Test
  void answersHasListAndStats() {
    String fingerprint = writer.publicKey().fingerprint().toString();
    String configured = SigningKey.generate(TestClient.RANDOM).publicKey().fingerprint()
        .toString();
    StorageServer server = start(config().withStorage(1L << 20, 100_000,
        Map.of(configured, 5000L)));
    TestClient client = client(server);
    List<ContentId> stored = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] bytes = randomBytes(100 + i);
      client.put(writer, bytes);
      stored.add(ContentId.of(bytes));
    }
    stored.sort(null);
    ContentId absent = ContentId.of(randomBytes(10));

    ByteBuf has = Unpooled.buffer();
    new HasBlobs(List.of(stored.get(3), absent, stored.get(0))).writeTo(has);
    assertEquals(List.of(true, false, true), client.call(FrameType.HAS_BLOBS, has,
        reply -> HasResult.decode(reply.payload()).held()));

    assertEquals(new ListResult(stored.subList(0, 3), true), list(client, null, 3));
    assertEquals(new ListResult(stored.subList(3, 5), false), list(client, stored.get(2), 3));
    assertEquals(new ListResult(List.of(), false), list(client, stored.get(4), 3));

    StatsResult stats = client.call(FrameType.STATS, Unpooled.EMPTY_BUFFER,
        reply -> StatsResult.decode(reply.payload()));
    assertArrayEquals(server.nodeKey().toBytes(), stats.nodeKey());
    assertEquals(1L << 20, stats.capacityBytes());
    assertEquals(510, stats.usedBytes());
    assertEquals(5, stats.blobCount());
    assertEquals(510, stats.receivedBytes());
    assertEquals(List.of(new KeyUsage(fingerprint, 510, 100_000),
        new KeyUsage(configured, 0, 5000)), stats.keys());
  }

  private static ListResult list(TestClient client, ContentId after, int limit) {
    ByteBuf request = Unpooled.buffer();
    new ListBlobs(after, limit).writeTo(request);
    return client.call(FrameType.LIST_BLOBS, request,
        reply -> ListResult.decode(reply.payload()));
  }

  @Test
  void refusesRequestsItDoesNotServeAndMalformedPayloads() {
    StorageServer server = start(config());
    TestClient client = client(server);
    client.fails(ErrorCode.UNKNOWN_TYPE, FrameType.LIST_TABLES, Unpooled.EMPTY_BUFFER);
    client.fails(ErrorCode.UNKNOWN_TYPE, FrameType.PUT_OK, Unpooled.EMPTY_BUFFER);
    client.fails(ErrorCode.BAD_FRAME, FrameType.STATS, Unpooled.wrappedBuffer(new byte[1]));
    client.fails(ErrorCode.BAD_FRAME, FrameType.GET_BLOB, Unpooled.wrappedBuffer(new byte[7]));
    ByteBuf get = Unpooled.buffer();
    new GetBlob(ContentId.of(new byte[3]), 0, 0).writeTo(get);
    client.fails(ErrorCode.NOT_FOUND, FrameType.GET_BLOB, get);
    assertTrue(client.put(writer, randomBytes(10)), "the connection still serves");
  }

  @Test
  void refusesRangesLargerThanOneFrame() throws Exception {
    StorageServer server = start(config());
    TestClient client = client(server);
    byte[] bytes = randomBytes(BlobData.rangeBytesMax() + 10);
    ContentId id = ContentId.of(bytes);
    server.store().put(id, ByteBuffer.wrap(bytes)); // larger than any PUT_BLOB may carry
    ByteBuf whole = Unpooled.buffer();
    new GetBlob(id, 0, 0).writeTo(whole);
    CairnException error = client.fails(ErrorCode.BAD_FRAME, FrameType.GET_BLOB, whole);
    assertTrue(error.getMessage().contains("request ranges of at most"), error::getMessage);
    assertArrayEquals(Arrays.copyOfRange(bytes, 20, bytes.length),
        client.get(id, 20, 0, bytes.length));
  }

  @Test
  void restartKeepsBlobsNodeKeyAndQuotaUsage() throws Exception {
    String fingerprint = writer.publicKey().fingerprint().toString();
    StorageServerConfig config = config().withStorage(1L << 20, 1L << 20,
        Map.of(fingerprint, 3000L));
    StorageServer first = StorageServer.start(config);
    byte[] bytes = randomBytes(2000);
    try (TestClient client = new TestClient(first.address())) {
      client.put(writer, bytes);
    }
    byte[] nodeKey = first.nodeKey().toBytes();
    first.close();

    StorageServer second = start(config);
    TestClient client = client(second);
    assertArrayEquals(nodeKey, second.nodeKey().toBytes());
    assertArrayEquals(nodeKey, client.connection.peer().nodeKey(), "HELLO carries the node key");
    assertArrayEquals(bytes, client.get(ContentId.of(bytes), 0, 0, bytes.length));
    assertEquals(2000, second.ledger().usedBytes(fingerprint));
    byte[] more = randomBytes(2000);
    client.fails(ErrorCode.QUOTA_EXCEEDED, FrameType.PUT_BLOB,
        putPayload(writer, ContentId.of(more), more.length, more));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(data.resolve(NodeIdentity.KEY_FILE))));
  }

  @Test
  void installsTheConfiguredBandwidthLimits() {
    StorageServer limited = start(config().withLimits(3L << 20, 1L << 20, 10));
    GlobalTrafficShapingHandler shaper = limited.rpcServer().shaper();
    assertNotNull(shaper);
    assertEquals(1L << 20, shaper.getWriteLimit(), "sending = downloads from this donor");
    assertEquals(3L << 20, shaper.getReadLimit(), "receiving = uploads to this donor");
    limited.close();
    StorageServer unlimited = start(config());
    assertNull(unlimited.rpcServer().shaper());
  }

  @Test
  void automaticCapacityIsAtMostTenGibibytes() throws Exception {
    long capacity = StorageServer.capacityBytes(StorageServerConfig.defaults(data));
    assertTrue(capacity > 0 && capacity <= StorageServerConfig.DEFAULT_CAPACITY_BYTES_MAX,
        "capacity " + capacity);
  }
}
