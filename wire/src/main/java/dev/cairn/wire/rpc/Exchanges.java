package dev.cairn.wire.rpc;

import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.message.BlobMessages.BlobRange;
import dev.cairn.wire.message.BlobMessages.ChunkData;
import dev.cairn.wire.message.BlobMessages.HasResult;
import dev.cairn.wire.message.BlobMessages.ListResult;
import dev.cairn.wire.message.BlobMessages.PutOk;
import dev.cairn.wire.message.BlobMessages.StatsResult;
import dev.cairn.wire.message.LedgerMessages.LedgerResult;
import dev.cairn.wire.message.MetaMessages.ForgetOk;
import dev.cairn.wire.message.MetaMessages.HeadOk;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.HeartbeatOk;
import dev.cairn.wire.message.MetaMessages.Nodes;
import dev.cairn.wire.message.MetaMessages.PlacementResult;
import dev.cairn.wire.message.MetaMessages.TimestampOk;
import io.netty.buffer.ByteBuf;

/**
 * Every request of docs/protocol.md with the reply that answers it, so no caller names a
 * reply type or a decoder by hand. Replies without a payload decode to {@code Boolean.TRUE}.
 */
public final class Exchanges {
  private Exchanges() {}

  public static final Exchange<Boolean> PING =
      new Exchange<>(FrameType.PING, FrameType.PONG, Exchanges::empty);

  // Storage node requests.
  public static final Exchange<PutOk> PUT_BLOB =
      new Exchange<>(FrameType.PUT_BLOB, FrameType.PUT_OK, PutOk::decode);
  public static final Exchange<BlobRange> GET_BLOB =
      new Exchange<>(FrameType.GET_BLOB, FrameType.BLOB_DATA, BlobRange::decode);
  public static final Exchange<HasResult> HAS_BLOBS =
      new Exchange<>(FrameType.HAS_BLOBS, FrameType.HAS_RESULT, HasResult::decode);
  public static final Exchange<ListResult> LIST_BLOBS =
      new Exchange<>(FrameType.LIST_BLOBS, FrameType.LIST_RESULT, ListResult::decode);
  public static final Exchange<StatsResult> STATS =
      new Exchange<>(FrameType.STATS, FrameType.STATS_RESULT, StatsResult::decode);
  public static final Exchange<ChunkData> GET_CHUNK =
      new Exchange<>(FrameType.GET_CHUNK, FrameType.CHUNK_DATA, ChunkData::decode);

  // Metadata service requests.
  public static final Exchange<HeadOk> PUBLISH_HEAD =
      new Exchange<>(FrameType.PUBLISH_HEAD, FrameType.HEAD_OK, HeadOk::decode);
  public static final Exchange<Heads> GET_HEAD =
      new Exchange<>(FrameType.GET_HEAD, FrameType.HEAD_RESULT, Heads::decode);
  public static final Exchange<Boolean> CLAIM_NAME =
      new Exchange<>(FrameType.CLAIM_NAME, FrameType.NAME_OK, Exchanges::empty);
  public static final Exchange<Heads> LIST_TABLES =
      new Exchange<>(FrameType.LIST_TABLES, FrameType.TABLES_RESULT, Heads::decode);
  public static final Exchange<Heads> GET_VERSIONS =
      new Exchange<>(FrameType.GET_VERSIONS, FrameType.VERSIONS_RESULT, Heads::decode);
  public static final Exchange<HeartbeatOk> HEARTBEAT =
      new Exchange<>(FrameType.HEARTBEAT, FrameType.HEARTBEAT_OK, HeartbeatOk::decode);
  public static final Exchange<Nodes> LIST_NODES =
      new Exchange<>(FrameType.LIST_NODES, FrameType.NODES_RESULT, Nodes::decode);
  public static final Exchange<PlacementResult> PLACEMENT =
      new Exchange<>(FrameType.PLACEMENT, FrameType.PLACEMENT_RESULT, PlacementResult::decode);
  public static final Exchange<Boolean> REPORT_BAD_HOLDER =
      new Exchange<>(FrameType.REPORT_BAD_HOLDER, FrameType.REPORT_OK, Exchanges::empty);

  public static final Exchange<TimestampOk> PUBLISH_TIMESTAMP =
      new Exchange<>(FrameType.PUBLISH_TIMESTAMP, FrameType.TIMESTAMP_OK, TimestampOk::decode);

  public static final Exchange<ForgetOk> FORGET_NODE =
      new Exchange<>(FrameType.FORGET_NODE, FrameType.FORGET_OK, ForgetOk::decode);

  // The social contract (protocol.md 6.6, 9.9).
  public static final Exchange<Boolean> IDENTIFY =
      new Exchange<>(FrameType.IDENTIFY, FrameType.IDENTIFY_OK, Exchanges::empty);
  public static final Exchange<Boolean> RECEIPT =
      new Exchange<>(FrameType.RECEIPT, FrameType.RECEIPT_OK, Exchanges::empty);
  public static final Exchange<LedgerResult> GET_LEDGER =
      new Exchange<>(FrameType.GET_LEDGER, FrameType.LEDGER_RESULT, LedgerResult::decode);

  /** Decodes a reply that carries nothing. */
  private static Boolean empty(ByteBuf payload) {
    return Boolean.TRUE;
  }
}
