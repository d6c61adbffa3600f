package dev.cairn.wire.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Zone;
import dev.cairn.wire.message.BlobMessages.ChunkData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.GetChunk;
import dev.cairn.wire.message.BlobMessages.HasBlobs;
import dev.cairn.wire.message.BlobMessages.HasResult;
import dev.cairn.wire.message.BlobMessages.KeyUsage;
import dev.cairn.wire.message.BlobMessages.ListBlobs;
import dev.cairn.wire.message.BlobMessages.ListResult;
import dev.cairn.wire.message.BlobMessages.PutBlob;
import dev.cairn.wire.message.BlobMessages.StatsResult;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.GetHead;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.MetaMessages.Nodes;
import dev.cairn.wire.message.MetaMessages.PlacementRequest;
import dev.cairn.wire.message.MetaMessages.PlacementResult;
import dev.cairn.wire.message.MetaMessages.TableHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every storage and metadata payload decodes to what was encoded, and refuses bad input. */
class MessagesRoundTripTest {
  private static final byte[] KEY = filled(32, 7);
  private static final byte[] SIGNATURE = filled(64, 9);

  private static byte[] filled(int size, int value) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private static ContentId id(int i) {
    return ContentId.of(("id" + i).getBytes(StandardCharsets.UTF_8));
  }

  /** Encodes, decodes, and checks that every prefix of the payload and a trailing byte fail. */
  private static <T> T roundTrip(Consumer<ByteBuf> writer, Function<ByteBuf, T> reader) {
    ByteBuf buffer = Unpooled.buffer();
    writer.accept(buffer);
    byte[] bytes = new byte[buffer.readableBytes()];
    buffer.readBytes(bytes);
    for (int cut = 0; cut < bytes.length; cut++) {
      ByteBuf truncated = Unpooled.wrappedBuffer(bytes, 0, cut);
      assertEquals(ErrorCode.BAD_FRAME,
          assertThrows(CairnException.class, () -> reader.apply(truncated)).code());
    }
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(CairnException.class, () -> reader.apply(Unpooled.wrappedBuffer(longer)));
    return reader.apply(Unpooled.wrappedBuffer(bytes));
  }

  @Test
  void storageMessagesRoundTrip() {
    byte[] blob = "the blob".getBytes(StandardCharsets.UTF_8);
    PutBlob put = new PutBlob(id(1), KEY, SIGNATURE, Unpooled.wrappedBuffer(blob));
    PutBlob decodedPut = roundTrip(b -> b.writeBytes(put.encode(ByteBufAllocator.DEFAULT)),
        PutBlob::decode);
    assertEquals(id(1), decodedPut.id());
    assertArrayEquals(KEY, decodedPut.writerKey());
    assertArrayEquals(SIGNATURE, decodedPut.signature());
    assertEquals(Unpooled.wrappedBuffer(blob), decodedPut.blob());

    GetBlob get = new GetBlob(id(2), 5, 10);
    assertEquals(get, roundTrip(get::writeTo, GetBlob::decode));
    HasBlobs has = new HasBlobs(List.of(id(1), id(2)));
    assertEquals(has, roundTrip(has::writeTo, HasBlobs::decode));
    HasResult held = new HasResult(List.of(true, false));
    assertEquals(held, roundTrip(held::writeTo, HasResult::decode));
    ListBlobs list = new ListBlobs(id(3), 100);
    assertEquals(list, roundTrip(list::writeTo, ListBlobs::decode));
    ListResult listed = new ListResult(List.of(id(4)), true);
    assertEquals(listed, roundTrip(listed::writeTo, ListResult::decode));
    StatsResult stats = new StatsResult(KEY, 100, 50, 3, 10, 20,
        List.of(new KeyUsage("mw3am46w5weex4a4", 50, 100)));
    StatsResult decodedStats = roundTrip(stats::writeTo, StatsResult::decode);
    assertEquals(stats.keys(), decodedStats.keys());
    assertEquals(50, decodedStats.usedBytes());
  }

  @Test
  void chunkMessagesRoundTripAndAreBounded() {
    GetChunk get = new GetChunk(id(6), 7);
    assertEquals(get, roundTrip(get::writeTo, GetChunk::decode));
    ByteBuf hugeIndex = Unpooled.buffer();
    hugeIndex.writeBytes(id(6).toBytes()).writeInt(-1);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> GetChunk.decode(hugeIndex)).code());

    ChunkData data = new ChunkData(70_000, new byte[] {1, 2, 3}, List.of(id(1), id(2)));
    ChunkData decoded = roundTrip(data::writeTo, ChunkData::decode);
    assertEquals(70_000, decoded.blobSize());
    assertArrayEquals(new byte[] {1, 2, 3}, decoded.chunk());
    assertEquals(List.of(id(1), id(2)), decoded.proof());
    ByteBuf reply = Unpooled.buffer();
    data.writeTo(reply);
    assertEquals(data.encodedBytes(), reply.readableBytes());

    ByteBuf bigChunk = Unpooled.buffer().writeLong(1).writeInt(ChunkTree.CHUNK_BYTES + 1);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> ChunkData.decode(bigChunk)).code());
    ByteBuf manyHashes = Unpooled.buffer().writeLong(1).writeInt(0)
        .writeByte(ChunkTree.PROOF_HASHES_MAX + 1);
    manyHashes.writeZero((ChunkTree.PROOF_HASHES_MAX + 1) * ContentId.BYTES);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> ChunkData.decode(manyHashes)).code());
    ByteBuf negativeSize = Unpooled.buffer().writeLong(-1).writeInt(0).writeByte(0);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> ChunkData.decode(negativeSize)).code());
  }

  @Test
  void metadataMessagesRoundTrip() {
    ClaimName claim = new ClaimName("alice", KEY, SIGNATURE);
    ClaimName decodedClaim = roundTrip(claim::writeTo, ClaimName::decode);
    assertEquals("alice", decodedClaim.name());
    GetHead get = new GetHead("alice", "orders", 3);
    assertEquals(get, roundTrip(get::writeTo, GetHead::decode));
    Heads heads = new Heads(List.of(new TableHead("alice", SIGNATURE, new byte[] {1, 2, 3})));
    Heads decodedHeads = roundTrip(heads::writeTo, Heads::decode);
    assertArrayEquals(new byte[] {1, 2, 3}, decodedHeads.heads().get(0).manifest());
    Heartbeat beat = new Heartbeat(KEY, "127.0.0.1:7470", 100, 10, 2, 1234,
        List.of(id(1), id(2)), "rack-7", SIGNATURE);
    Heartbeat decodedBeat = roundTrip(beat::writeTo, Heartbeat::decode);
    assertArrayEquals(beat.signedMessage(), decodedBeat.signedMessage());
    assertEquals(List.of(id(1), id(2)), decodedBeat.holdings());
    assertEquals("rack-7", decodedBeat.zone());
    Nodes nodes = new Nodes(List.of(new NodeInfo(KEY, "h:1", true, 100, 10, 2, 5, 750_000,
        NodeStanding.DISQUALIFIED, 7, 3, 1, "10.1.2.0/24")));
    Nodes decodedNodes = roundTrip(nodes::writeTo, Nodes::decode);
    assertEquals(750_000, decodedNodes.nodes().get(0).score());
    assertEquals(0.75, decodedNodes.nodes().get(0).reputation());
    assertEquals(NodeStanding.DISQUALIFIED, decodedNodes.nodes().get(0).standing());
    assertEquals(List.of(7L, 3L, 1L), List.of(decodedNodes.nodes().get(0).auditsPassed(),
        decodedNodes.nodes().get(0).auditsFailed(),
        decodedNodes.nodes().get(0).auditsUnanswered()));
    assertEquals("h:1", decodedNodes.nodes().get(0).address());
    assertEquals("10.1.2.0/24", decodedNodes.nodes().get(0).zone());
    PlacementRequest placement = new PlacementRequest(3, List.of(id(5)));
    assertEquals(placement, roundTrip(placement::writeTo, PlacementRequest::decode));
    PlacementResult result = new PlacementResult(
        List.of(new BlobPlacement(List.of(KEY), List.of(KEY, KEY))));
    PlacementResult decodedResult = roundTrip(result::writeTo, PlacementResult::decode);
    assertEquals(2, decodedResult.blobs().get(0).holders().size());
  }

  @Test
  void aHeartbeatZoneIsBoundedAndChecked() {
    Heartbeat beat = new Heartbeat(KEY, "h:1", 1, 0, 0, 1, null, "z", SIGNATURE);
    ByteBuf good = Unpooled.buffer();
    beat.writeTo(good);
    int zoneAt = good.writerIndex() - SIGNATURE.length - 1;
    ByteBuf badCharacter = good.copy().setByte(zoneAt, ' ');
    CairnException refused = assertThrows(CairnException.class,
        () -> Heartbeat.decode(badCharacter));
    assertEquals(ErrorCode.BAD_FORMAT, refused.code(), refused::getMessage);
    ByteBuf tooLong = good.copy().setShort(zoneAt - 2, Zone.BYTES_MAX + 1);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> Heartbeat.decode(tooLong)).code());
    assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
        () -> new Heartbeat(KEY, "h:1", 1, 0, 0, 1, null, "", SIGNATURE)).code());
  }

  @Test
  void hugeCountsAreRefusedBeforeAllocating() {
    ByteBuf claimsManyIds = Unpooled.buffer().writeInt(BlobMessages.IDS_MAX);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> HasBlobs.decode(claimsManyIds)).code());
    ByteBuf overLimit = Unpooled.buffer().writeInt(-1);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> Heads.decode(overLimit)).code());
  }

  @Test
  void aBadPublisherNameIsNamed() {
    CairnException e = assertThrows(CairnException.class,
        () -> new ClaimName("Robert'); DROP", KEY, SIGNATURE));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  @Test
  void badHolderReportRoundTripsAndATruncatedOneIsBadFrame() {
    BadHolderReport report = new BadHolderReport(KEY, filled(32, 8), id(3), 1234, SIGNATURE);
    BadHolderReport back = roundTrip(report::writeTo, BadHolderReport::decode);
    assertArrayEquals(report.reporterKey(), back.reporterKey());
    assertArrayEquals(report.offenderKey(), back.offenderKey());
    assertEquals(report.blobId(), back.blobId());
    assertEquals(1234, back.timestampMillis());
    assertArrayEquals(report.signature(), back.signature());
    assertArrayEquals(report.signedMessage(), BadHolderReport.signedMessage(KEY, filled(32, 8),
        id(3), 1234));
    ByteBuf truncated = Unpooled.buffer();
    report.writeTo(truncated);
    truncated.writerIndex(truncated.writerIndex() - 1);
    CairnException e = assertThrows(CairnException.class,
        () -> BadHolderReport.decode(truncated));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
  }

  @Test
  void headsCarryATimestampsTrailerOnlyWhenThereAreTimestamps() {
    TableHead head = new TableHead("acme", filled(64, 1), filled(100, 2));
    ByteBuf plain = Unpooled.buffer();
    new Heads(List.of(head)).writeTo(plain);
    int plainBytes = plain.readableBytes();
    assertEquals(4 + 2 + 4 + 64 + 4 + 100, plainBytes, "the layout of earlier releases");
    assertEquals(List.of(), Heads.decode(plain).timestamps());
    ByteBuf withTrailer = Unpooled.buffer();
    new Heads(List.of(head), List.of(filled(80, 3))).writeTo(withTrailer);
    assertEquals(plainBytes + 4 + 4 + 80, withTrailer.readableBytes());
    Heads decoded = Heads.decode(withTrailer);
    assertArrayEquals(filled(80, 3), decoded.timestamps().get(0));
    ByteBuf tooMany = Unpooled.buffer();
    new Heads(List.of(head)).writeTo(tooMany);
    tooMany.writeInt(2).writeInt(0).writeInt(0);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> Heads.decode(tooMany)).code());
    ByteBuf oversize = Unpooled.buffer();
    new Heads(List.of(head)).writeTo(oversize);
    oversize.writeInt(1).writeInt(100_000);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> Heads.decode(oversize)).code());
  }
}
