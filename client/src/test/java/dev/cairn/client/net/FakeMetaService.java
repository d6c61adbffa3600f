package dev.cairn.client.net;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.GetHead;
import dev.cairn.wire.message.MetaMessages.HeadOk;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import dev.cairn.wire.message.MetaMessages.Nodes;
import dev.cairn.wire.message.MetaMessages.PublishHead;
import dev.cairn.wire.message.MetaMessages.TableHead;
import dev.cairn.wire.rpc.Responder;
import dev.cairn.wire.rpc.RpcServer;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-test metadata service over a real {@link RpcServer}: name claims, heads per table
 * (each version kept), and a fixed node list. Tests may also plant raw heads, e.g. forged ones.
 */
public final class FakeMetaService implements AutoCloseable {
  private record Claim(PublicKey key, byte[] signature) {}

  private final Map<String, Claim> claims = new ConcurrentHashMap<>();
  private final Map<String, List<TableHead>> versions = new ConcurrentHashMap<>();
  private final List<NodeInfo> nodes = new CopyOnWriteArrayList<>();
  private final RpcServer server;

  public FakeMetaService() throws InterruptedException {
    server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.METADATA_SERVICE, null),
        this::handle, RpcServer.Options.defaults());
  }

  public InetSocketAddress address() {
    return server.address();
  }

  public void addNode(FakeStorageNode node, boolean live) {
    String address = "127.0.0.1:" + node.address().getPort();
    nodes.add(new NodeInfo(node.nodeKey(), address, live, 1L << 30, 0, 0, 0,
        NodeInfo.SCORE_PERFECT, NodeStanding.ACTIVE, 0, 0, 0, address));
  }

  /** Appends a head as is, unchecked (to plant forgeries). */
  public void plant(String table, TableHead head) {
    versions.computeIfAbsent(head.schema() + "." + table, k -> new CopyOnWriteArrayList<>())
        .add(head);
  }

  /** Returns how many versions of {@code schema.table} are stored. */
  public int versionCount(String schema, String table) {
    return versions.getOrDefault(schema + "." + table, List.of()).size();
  }

  private void handle(Frame request, Responder responder) {
    ByteBuf payload = responder.alloc().buffer();
    switch (request.type()) {
      case CLAIM_NAME -> {
        payload.release();
        claim(ClaimName.decode(request.payload()));
        responder.reply(FrameType.NAME_OK);
      }
      case PUBLISH_HEAD -> {
        publish(PublishHead.decode(request.payload())).writeTo(payload);
        responder.reply(FrameType.HEAD_OK, payload);
      }
      case GET_HEAD -> {
        GetHead get = GetHead.decode(request.payload());
        new Heads(List.of(find(get))).writeTo(payload);
        responder.reply(FrameType.HEAD_RESULT, payload);
      }
      case GET_VERSIONS -> {
        GetHead get = GetHead.decode(request.payload());
        new Heads(versions.getOrDefault(get.schema() + "." + get.table(), List.of()))
            .writeTo(payload);
        responder.reply(FrameType.VERSIONS_RESULT, payload);
      }
      case LIST_TABLES -> {
        List<TableHead> heads = new ArrayList<>();
        versions.values().forEach(list -> heads.add(list.get(list.size() - 1)));
        new Heads(heads).writeTo(payload);
        responder.reply(FrameType.TABLES_RESULT, payload);
      }
      case LIST_NODES -> {
        new Nodes(nodes).writeTo(payload);
        responder.reply(FrameType.NODES_RESULT, payload);
      }
      default -> {
        payload.release();
        throw new CairnException(ErrorCode.UNKNOWN_TYPE, "not here: " + request.type());
      }
    }
  }

  private synchronized void claim(ClaimName claim) {
    PublicKey key = PublicKey.fromBytes(claim.writerKey());
    key.checkSignature(SignatureDomain.CLAIM_NAME, ClaimName.signedMessage(claim.name()),
        claim.signature(), "claim");
    Claim existing = claims.putIfAbsent(claim.name(), new Claim(key, claim.signature()));
    if (existing != null && !existing.key().equals(key)) {
      throw new CairnException(ErrorCode.NAME_TAKEN, claim.name());
    }
  }

  private synchronized HeadOk publish(PublishHead publish) {
    SignedManifest signed = ManifestCodec.decode(publish.manifest());
    String schema = null;
    Claim claim = null;
    for (Map.Entry<String, Claim> entry : claims.entrySet()) {
      if (entry.getValue().key().equals(signed.manifest().writerKey())) {
        schema = entry.getKey();
        claim = entry.getValue();
      }
    }
    if (schema == null) {
      throw new CairnException(ErrorCode.UNKNOWN_WRITER, "no name claimed by this key");
    }
    List<TableHead> list = versions.computeIfAbsent(schema + "."
        + signed.manifest().tableName(), k -> new CopyOnWriteArrayList<>());
    if (!list.isEmpty() && ManifestCodec.decode(list.get(list.size() - 1).manifest())
        .manifest().version() >= signed.manifest().version()) {
      throw new CairnException(ErrorCode.STALE_VERSION, "version "
          + signed.manifest().version() + " is not newer");
    }
    list.add(new TableHead(schema, claim.signature(), publish.manifest()));
    return new HeadOk(signed.id(), signed.manifest().version());
  }

  private TableHead find(GetHead get) {
    List<TableHead> list = versions.getOrDefault(get.schema() + "." + get.table(), List.of());
    if (list.isEmpty()) {
      throw new CairnException(ErrorCode.NOT_FOUND, get.schema() + "." + get.table());
    }
    if (get.version() == 0) {
      return list.get(list.size() - 1);
    }
    for (TableHead head : list) {
      if (ManifestCodec.decode(head.manifest()).manifest().version() == get.version()) {
        return head;
      }
    }
    throw new CairnException(ErrorCode.NOT_FOUND, "version " + get.version());
  }

  private boolean closed;

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.close();
    }
  }
}
