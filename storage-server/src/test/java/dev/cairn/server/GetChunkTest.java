package dev.cairn.server;

import static dev.cairn.server.TestClient.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.GetChunk;
import dev.cairn.wire.rpc.ChunkAudit.Verdict;
import dev.cairn.wire.rpc.ChunkAudit;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.VerifiedBlobRead.RangeGate;
import dev.cairn.wire.rpc.VerifiedChunkRead.ChunkSource;
import dev.cairn.wire.rpc.VerifiedChunkRead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET_CHUNK against a real StorageServer (docs/protocol.md 8.6): proofs, tampering, refusals. */
class GetChunkTest {
  private static final int C = ChunkTree.CHUNK_BYTES;

  @TempDir Path data;

  private final SigningKey writer = SigningKey.generate(TestClient.RANDOM);
  private StorageServer server;
  private TestClient client;

  @BeforeEach
  void start() {
    server = StorageServer.start(StorageServerConfig.defaults(data).withListen("127.0.0.1", 0)
        .withStorage(64L << 20, 16L << 20, Map.of()));
    client = new TestClient(server.address());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private ChunkSource chunks() {
    return VerifiedChunkRead.over(client.connection, TestClient.TIMEOUT);
  }

  private BatchRef ref(byte[] blob) {
    return new BatchRef(ContentId.of(blob), blob.length, 1, ChunkTree.root(blob),
        List.of(new ColumnStats(0, 1L, 1L)));
  }

  private ChunkAudit.Result audit(BatchRef batch, int chunkIndex) throws InterruptedException {
    return ChunkAudit.run(chunks(), ChunkAudit.trueTreeFromHolder((id, offset, length) -> {
      ByteBuf request = Unpooled.buffer();
      new GetBlob(id, offset, length).writeTo(request);
      return Exchanges.GET_BLOB.send(client.connection, request, TestClient.TIMEOUT);
    }, "the server", batch.id(), RangeGate.OPEN), "the server", batch, chunkIndex);
  }

  private static ByteBuf getChunk(ContentId id, long index) {
    return Unpooled.buffer().writeBytes(id.toBytes()).writeInt((int) index);
  }

  @Test
  void everyChunkOfEveryShapeVerifiesAgainstTheRoot() throws Exception {
    for (byte[] blob : List.of(randomBytes(3 * C + 1234), randomBytes(C), new byte[0])) {
      assertTrue(client.put(writer, blob));
      BatchRef batch = ref(blob);
      VerifiedChunkRead read = new VerifiedChunkRead(chunks(), "the server", batch.id(),
          blob.length, batch.chunkRoot());
      for (int i = 0; i < read.chunkCount(); i++) {
        byte[] expected = Arrays.copyOfRange(blob, i * C, Math.min(blob.length, (i + 1) * C));
        assertArrayEquals(expected, read.read(i), "chunk " + i + " of " + blob.length);
        assertEquals(Verdict.PASSED, audit(batch, i).verdict());
      }
    }
    assertEquals(2 * (4 + 1 + 1), server.counters().requests(FrameType.GET_CHUNK));
    assertEquals(2L * (3 * C + 1234 + C), server.servedBytes());
  }

  @Test
  void aBlobFileReplacedWithGarbageFailsItsAudit() throws Exception {
    byte[] blob = randomBytes(2 * C + 10);
    client.put(writer, blob);
    BatchRef batch = ref(blob);
    Files.write(server.store().file(batch.id()), randomBytes(blob.length));

    CairnException lie = assertThrows(CairnException.class, () -> new VerifiedChunkRead(
        chunks(), "the server", batch.id(), blob.length, batch.chunkRoot()).read(1));
    assertEquals(ErrorCode.BAD_HASH, lie.code());
    ChunkAudit.Result result = audit(batch, 2);
    assertEquals(Verdict.FAILED, result.verdict(), result.detail());
  }

  @Test
  void aMissingSidecarIsRebuiltAndARebuildCatchesACorruptBlob() throws Exception {
    byte[] blob = randomBytes(C + 1);
    client.put(writer, blob);
    BatchRef batch = ref(blob);
    Path sidecar = sidecarOf(batch.id());
    assertTrue(Files.exists(sidecar), "written at PUT");
    Files.delete(sidecar);
    assertEquals(Verdict.PASSED, audit(batch, 1).verdict());
    assertTrue(Files.exists(sidecar), "rebuilt on demand");

    Files.write(sidecar, new byte[] {1, 2, 3});
    Files.write(server.store().file(batch.id()), randomBytes(blob.length));
    ChunkAudit.Result result = audit(batch, 0);
    assertEquals(Verdict.MISSING, result.verdict(), "the rebuild found the bytes corrupt: "
        + result.detail());
    assertFalse(server.store().contains(batch.id()), "quarantined");
  }

  @Test
  void aSidecarOfAnotherBlobIsRebuiltFromTheBlobNotServed() throws Exception {
    byte[] blob = randomBytes(2 * C + 5);
    byte[] other = randomBytes(blob.length);
    client.put(writer, blob);
    client.put(writer, other);
    BatchRef batch = ref(blob);
    Path sidecar = sidecarOf(batch.id());
    byte[] own = Files.readAllBytes(sidecar);
    // A whole, checksummed sidecar whose leaves are not this blob's: only its root tells.
    Files.copy(sidecarOf(ContentId.of(other)), sidecar, StandardCopyOption.REPLACE_EXISTING);

    assertEquals(Verdict.PASSED, audit(batch, 1).verdict(), "proved from the blob's own leaves");
    assertArrayEquals(own, Files.readAllBytes(sidecar), "the sidecar was rebuilt");
    assertTrue(server.store().contains(batch.id()), "the blob itself was fine");
  }

  private Path sidecarOf(ContentId id) {
    return server.store().root().resolve("leaves").resolve(id.toHex().substring(0, 2))
        .resolve(id.toHex());
  }

  @Test
  void malformedChallengesGetNamedErrorsAndTheConnectionStays() {
    byte[] blob = randomBytes(3 * C);
    client.put(writer, blob);
    ContentId id = ContentId.of(blob);

    CairnException past = client.fails(ErrorCode.BAD_FRAME, FrameType.GET_CHUNK,
        getChunk(id, 3));
    assertTrue(past.getMessage().contains("which has 3 chunks"), past.getMessage());
    client.fails(ErrorCode.BAD_FRAME, FrameType.GET_CHUNK, getChunk(id, 0xFFFF_FFFFL));
    client.fails(ErrorCode.BAD_FRAME, FrameType.GET_CHUNK,
        Unpooled.buffer().writeBytes(id.toBytes()).writeShort(0));
    client.fails(ErrorCode.BAD_FRAME, FrameType.GET_CHUNK, getChunk(id, 0).writeByte(0));
    client.fails(ErrorCode.BAD_FRAME, FrameType.GET_CHUNK, Unpooled.EMPTY_BUFFER);
    client.fails(ErrorCode.NOT_FOUND, FrameType.GET_CHUNK,
        getChunk(ContentId.of(new byte[] {7}), 0));
    client.fails(ErrorCode.UNKNOWN_TYPE, FrameType.CHUNK_DATA, Unpooled.EMPTY_BUFFER);

    ByteBuf good = Unpooled.buffer();
    new GetChunk(id, 2).writeTo(good);
    byte[] last = client.call(FrameType.GET_CHUNK, good,
        reply -> dev.cairn.wire.message.BlobMessages.ChunkData.decode(reply.payload()).chunk());
    assertArrayEquals(Arrays.copyOfRange(blob, 2 * C, 3 * C), last);
  }
}
