package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Frames;
import dev.cairn.wire.frame.Payloads;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.message.LedgerMessages.GetLedger;
import dev.cairn.wire.message.LedgerMessages.LedgerResult;
import dev.cairn.wire.message.LedgerMessages.Receipt;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.ForgetNode;
import dev.cairn.wire.message.MetaMessages.ForgetOk;
import dev.cairn.wire.message.MetaMessages.GetHead;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.HeartbeatOk;
import dev.cairn.wire.message.MetaMessages.Nodes;
import dev.cairn.wire.message.MetaMessages.PlacementRequest;
import dev.cairn.wire.message.MetaMessages.PlacementResult;
import dev.cairn.wire.message.MetaMessages.PublishHead;
import dev.cairn.wire.message.MetaMessages.PublishTimestamp;
import dev.cairn.wire.message.MetaMessages.TableHead;
import dev.cairn.wire.rpc.RequestHandler;
import dev.cairn.wire.rpc.Responder;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Consumer;

/**
 * Answers the metadata service requests of docs/protocol.md section 9 from a {@link
 * TableRegistry} and a {@link NodeRegistry}. Decoding is strict and bounded (the wire records
 * do that); every refusal is a {@link CairnException} that the RPC layer turns into an ERROR
 * reply, leaving the connection open. Requests of other services are UNKNOWN_TYPE.
 */
final class MetaRequestHandler implements RequestHandler {
  private final TableRegistry tables;
  private final NodeRegistry nodes;
  private final ForgetOrders forgetOrders;
  private final ContributionLedger ledger;

  MetaRequestHandler(TableRegistry tables, NodeRegistry nodes, ForgetOrders forgetOrders,
      ContributionLedger ledger) {
    this.ledger = requireNonNull(ledger, "ledger");
    this.tables = requireNonNull(tables, "tables");
    this.nodes = requireNonNull(nodes, "nodes");
    this.forgetOrders = requireNonNull(forgetOrders, "forgetOrders");
  }

  @Override
  public void handle(Frame request, Responder responder) {
    ByteBuf payload = request.payload();
    switch (request.type()) {
      case CLAIM_NAME -> {
        tables.claim(NameClaim.of(ClaimName.decode(payload)));
        responder.reply(FrameType.NAME_OK);
      }
      case PUBLISH_HEAD -> {
        byte[] encoded = PublishHead.decode(payload).manifest();
        var ok = tables.publish(ManifestCodec.decode(encoded));
        reply(responder, FrameType.HEAD_OK, ok::writeTo);
      }
      case GET_HEAD -> {
        GetHead get = GetHead.decode(payload);
        var heads = tables.head(get.schema(), get.table(), get.version());
        reply(responder, FrameType.HEAD_RESULT, withTimestamps(heads)::writeTo);
      }
      case GET_VERSIONS -> {
        GetHead get = GetHead.decode(payload);
        var versions = withTimestamps(tables.versions(get.schema(), get.table()));
        reply(responder, FrameType.VERSIONS_RESULT, versions::writeTo);
      }
      case LIST_TABLES -> {
        Payloads.requireFullyRead(payload, "LIST_TABLES payload");
        reply(responder, FrameType.TABLES_RESULT, withTimestamps(tables.allHeads())::writeTo);
      }
      case PUBLISH_TIMESTAMP -> {
        byte[] encoded = PublishTimestamp.decode(payload).timestamp();
        var ok = tables.timestamp(HeadTimestamp.decode(encoded));
        reply(responder, FrameType.TIMESTAMP_OK, ok::writeTo);
      }
      case HEARTBEAT -> {
        boolean want = nodes.heartbeat(Heartbeat.decode(payload));
        reply(responder, FrameType.HEARTBEAT_OK, new HeartbeatOk(want)::writeTo);
      }
      case LIST_NODES -> {
        Payloads.requireFullyRead(payload, "LIST_NODES payload");
        reply(responder, FrameType.NODES_RESULT, new Nodes(nodes.nodes())::writeTo);
      }
      case PLACEMENT -> {
        PlacementRequest ask = PlacementRequest.decode(payload);
        var result = new PlacementResult(nodes.placement(ask.replicas(), ask.ids()));
        reply(responder, FrameType.PLACEMENT_RESULT, result::writeTo);
      }
      case REPORT_BAD_HOLDER -> {
        // Accepted or ignored, the answer is the same: a reporter learns nothing to game.
        nodes.reportBadHolder(BadHolderReport.decode(payload));
        responder.reply(FrameType.REPORT_OK);
      }
      case FORGET_NODE -> {
        ForgetNode order = ForgetNode.decode(payload);
        boolean liveAllowed = forgetOrders.authorizes(order);
        boolean wasLive = nodes.forget(PublicKey.fromBytes(order.nodeKey()), liveAllowed);
        reply(responder, FrameType.FORGET_OK, new ForgetOk(wasLive)::writeTo);
      }
      case RECEIPT -> {
        ledger.receipt(Receipt.decode(payload), nodes, System.currentTimeMillis());
        responder.reply(FrameType.RECEIPT_OK);
      }
      case GET_LEDGER -> {
        List<PublicKey> keys = GetLedger.decode(payload).nodeKeys().stream()
            .map(PublicKey::fromBytes).toList();
        var result = new LedgerResult(ledger.settings().creditPeriod().toMillis(),
            ledger.settings().starterAllowanceBytes(), ledger.entries(keys, nodes));
        reply(responder, FrameType.LEDGER_RESULT, result::writeTo);
      }
      default -> throw new CairnException(ErrorCode.UNKNOWN_TYPE,
          request.type() + " is not a request a metadata service serves");
    }
  }

  /** Returns a heads reply carrying the newest timestamp held for each head that has one. */
  private Heads withTimestamps(List<TableHead> heads) {
    return new Heads(heads, tables.timestampsFor(heads));
  }

  /**
   * Builds a reply payload in a buffer that cannot grow past one frame, and sends it; a reply
   * that does not fit is refused with FRAME_TOO_LARGE (the RPC layer would otherwise report a
   * bare INTERNAL, after having buffered all of it).
   */
  private static void reply(Responder responder, FrameType type, Consumer<ByteBuf> writer) {
    ByteBuf payload = responder.alloc().buffer(256, Frames.PAYLOAD_BYTES_MAX);
    try {
      writer.accept(payload);
    } catch (IndexOutOfBoundsException e) {
      payload.release();
      throw new CairnException(ErrorCode.FRAME_TOO_LARGE, "the " + type + " reply would be "
          + "more than the " + Frames.PAYLOAD_BYTES_MAX + " bytes one frame carries");
    } catch (RuntimeException e) {
      payload.release();
      throw e;
    }
    responder.reply(type, payload);
  }
}
