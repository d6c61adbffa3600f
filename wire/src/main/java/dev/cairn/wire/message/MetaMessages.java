package dev.cairn.wire.message;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Placement;
import dev.cairn.wire.Zone;
import dev.cairn.wire.frame.Payloads;
import dev.cairn.wire.manifest.HeadTimestamp;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Payloads of the metadata service requests and replies (docs/protocol.md, "Metadata service
 * messages"). Manifests travel as their signed encoding; every receiver verifies them itself,
 * because a metadata service is trusted for liveness only. Requests with an empty payload
 * (LIST_TABLES, LIST_NODES, NAME_OK) have no record.
 */
public final class MetaMessages {
  /** Largest encoded manifest in a message. */
  public static final int MANIFEST_BYTES_MAX = 16 * 1024 * 1024;
  /** Most manifests or tables in one reply. */
  public static final int MANIFESTS_MAX = 100_000;
  /** Most nodes in one reply, and most keys in one PLACEMENT answer row. */
  public static final int NODES_MAX = 10_000;
  /** Most blob ids in one heartbeat or placement request. */
  public static final int IDS_MAX = 1_000_000;
  /** Longest schema or table name, in bytes. */
  public static final int NAME_BYTES_MAX = 63;
  /** Longest node address ({@code host:port}), in bytes. */
  public static final int ADDRESS_BYTES_MAX = 255;
  /** What a publisher (schema) name must look like: a plain lower-case SQL identifier. */
  public static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private MetaMessages() {}

  /** Throws BAD_FORMAT unless {@code name} is a valid publisher name. */
  public static String checkSchemaName(String name) {
    if (name == null || !SCHEMA_NAME.matcher(name).matches()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "publisher name '" + name
          + "' must be 1 to 63 characters of a-z, 0-9 and _, not starting with a digit");
    }
    return name;
  }

  /**
   * CLAIM_NAME: {@code string name, bytes[32] writerKey, bytes[64] signature}: binds a
   * publisher name to a writer key on first use. The signature is the writer's, in domain
   * CLAIM_NAME, over the name's UTF-8 bytes. A key holds at most one name.
   */
  public record ClaimName(String name, byte[] writerKey, byte[] signature) {
    public ClaimName {
      checkSchemaName(name);
      Fields.requireLength(writerKey, Fields.KEY_BYTES, "writerKey");
      Fields.requireLength(signature, Fields.SIGNATURE_BYTES, "signature");
    }

    /** Returns what the writer signs. */
    public static byte[] signedMessage(String name) {
      return name.getBytes(StandardCharsets.UTF_8);
    }

    public void writeTo(ByteBuf buffer) {
      Payloads.writeString(buffer, name, NAME_BYTES_MAX);
      buffer.writeBytes(writerKey);
      buffer.writeBytes(signature);
    }

    public static ClaimName decode(ByteBuf payload) {
      String name = Payloads.readString(payload, NAME_BYTES_MAX, "CLAIM_NAME name");
      byte[] key = Fields.readKey(payload, "CLAIM_NAME writerKey");
      byte[] signature = Fields.readSignature(payload, "CLAIM_NAME signature");
      Payloads.requireFullyRead(payload, "CLAIM_NAME payload");
      return new ClaimName(name, key, signature);
    }
  }

  /** PUBLISH_HEAD: {@code u32 length, bytes[length] signed manifest}. */
  public record PublishHead(byte[] manifest) {
    public void writeTo(ByteBuf buffer) {
      Fields.writeSized(buffer, manifest);
    }

    public static PublishHead decode(ByteBuf payload) {
      byte[] manifest = Fields.readSized(payload, MANIFEST_BYTES_MAX, "PUBLISH_HEAD manifest");
      Payloads.requireFullyRead(payload, "PUBLISH_HEAD payload");
      return new PublishHead(manifest);
    }
  }

  /** HEAD_OK: {@code bytes[32] manifestId, u64 version}: the head now stored. */
  public record HeadOk(ContentId manifestId, long version) {
    public void writeTo(ByteBuf buffer) {
      Fields.writeId(buffer, manifestId);
      buffer.writeLong(version);
    }

    public static HeadOk decode(ByteBuf payload) {
      ContentId id = Fields.readId(payload, "HEAD_OK manifestId");
      long version = Payloads.readU64(payload, "HEAD_OK version");
      Payloads.requireFullyRead(payload, "HEAD_OK payload");
      return new HeadOk(id, version);
    }
  }

  /**
   * GET_HEAD: {@code string schema, string table, u64 version}; version 0 asks for the newest.
   * GET_VERSIONS has the same payload and ignores the version.
   */
  public record GetHead(String schema, String table, long version) {
    public GetHead {
      requireNonNull(schema, "schema");
      requireNonNull(table, "table");
    }

    public void writeTo(ByteBuf buffer) {
      Payloads.writeString(buffer, schema, NAME_BYTES_MAX);
      Payloads.writeString(buffer, table, 255);
      buffer.writeLong(version);
    }

    public static GetHead decode(ByteBuf payload) {
      String schema = Payloads.readString(payload, NAME_BYTES_MAX, "GET_HEAD schema");
      String table = Payloads.readString(payload, 255, "GET_HEAD table");
      long version = Payloads.readU64(payload, "GET_HEAD version");
      Payloads.requireFullyRead(payload, "GET_HEAD payload");
      return new GetHead(schema, table, version);
    }
  }

  /**
   * One table as the metadata service knows it: {@code string schema, bytes[64]
   * claimSignature, u32 length, bytes[length] manifest}. The claim signature lets anyone check
   * that the manifest's writer key claimed that schema name.
   */
  public record TableHead(String schema, byte[] claimSignature, byte[] manifest) {
    public TableHead {
      checkSchemaName(schema);
      Fields.requireLength(claimSignature, Fields.SIGNATURE_BYTES, "claimSignature");
      requireNonNull(manifest, "manifest");
    }

    void writeTo(ByteBuf buffer) {
      Payloads.writeString(buffer, schema, NAME_BYTES_MAX);
      buffer.writeBytes(claimSignature);
      Fields.writeSized(buffer, manifest);
    }

    static TableHead read(ByteBuf payload) {
      String schema = Payloads.readString(payload, NAME_BYTES_MAX, "schema");
      byte[] claim = Fields.readSignature(payload, "claimSignature");
      byte[] manifest = Fields.readSized(payload, MANIFEST_BYTES_MAX, "manifest");
      try {
        return new TableHead(schema, claim, manifest);
      } catch (CairnException e) {
        throw new CairnException(ErrorCode.BAD_FRAME, e.detail());
      }
    }
  }

  /**
   * HEAD_RESULT, TABLES_RESULT and VERSIONS_RESULT: {@code u32 count, count × TableHead}, then,
   * only when the service holds any for these heads, the timestamps trailer {@code u32
   * timestampCount, timestampCount × (u32 length, bytes[length] head timestamp)}: at most one
   * per head, the newest the service holds for it (docs/protocol.md 9.3). HEAD_RESULT has
   * exactly one head; VERSIONS_RESULT lists a table's versions oldest first. Timestamps travel
   * as their signed encoding; every receiver verifies and matches them itself.
   */
  public record Heads(List<TableHead> heads, List<byte[]> timestamps) {
    public Heads {
      heads = List.copyOf(heads);
      timestamps = List.copyOf(timestamps);
      if (timestamps.size() > heads.size()) {
        throw new CairnException(ErrorCode.BAD_FRAME, timestamps.size() + " timestamps for "
            + heads.size() + " heads: at most one each");
      }
    }

    /** Creates a reply without timestamps. */
    public Heads(List<TableHead> heads) {
      this(heads, List.of());
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeInt(heads.size());
      heads.forEach(h -> h.writeTo(buffer));
      if (!timestamps.isEmpty()) {
        // Absent when empty, so replies about tables without a freshness promise keep the
        // layout of earlier releases byte for byte.
        buffer.writeInt(timestamps.size());
        timestamps.forEach(t -> Fields.writeSized(buffer, t));
      }
    }

    public static Heads decode(ByteBuf payload) {
      int count = Fields.readCount(payload, MANIFESTS_MAX, 2 + 64 + 4, "heads");
      List<TableHead> heads = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        heads.add(TableHead.read(payload));
      }
      List<byte[]> timestamps = new ArrayList<>();
      if (payload.isReadable()) {
        int stamps = Fields.readCount(payload, count, 4, "head timestamps");
        for (int i = 0; i < stamps; i++) {
          timestamps.add(Fields.readSized(payload, HeadTimestamp.BYTES_MAX, "head timestamp"));
        }
      }
      Payloads.requireFullyRead(payload, "heads payload");
      return new Heads(heads, timestamps);
    }
  }

  /**
   * PUBLISH_TIMESTAMP: {@code u32 length, bytes[length] head timestamp} (docs/protocol.md 4.7):
   * a writer extends its head's validity without a new version.
   */
  public record PublishTimestamp(byte[] timestamp) {
    public PublishTimestamp {
      requireNonNull(timestamp, "timestamp");
    }

    public void writeTo(ByteBuf buffer) {
      Fields.writeSized(buffer, timestamp);
    }

    public static PublishTimestamp decode(ByteBuf payload) {
      byte[] timestamp = Fields.readSized(payload, HeadTimestamp.BYTES_MAX,
          "PUBLISH_TIMESTAMP timestamp");
      Payloads.requireFullyRead(payload, "PUBLISH_TIMESTAMP payload");
      return new PublishTimestamp(timestamp);
    }
  }

  /**
   * TIMESTAMP_OK: {@code bytes[32] manifestId, i64 validUntilMillis}: the head and the validity
   * of the newest timestamp the service now holds for it.
   */
  public record TimestampOk(ContentId manifestId, long validUntilMillis) {
    public TimestampOk {
      requireNonNull(manifestId, "manifestId");
    }

    public void writeTo(ByteBuf buffer) {
      Fields.writeId(buffer, manifestId);
      buffer.writeLong(validUntilMillis);
    }

    public static TimestampOk decode(ByteBuf payload) {
      ContentId id = Fields.readId(payload, "TIMESTAMP_OK manifestId");
      if (payload.readableBytes() < 8) {
        throw new CairnException(ErrorCode.BAD_FRAME, "TIMESTAMP_OK validUntilMillis is "
            + "truncated");
      }
      long validUntil = payload.readLong();
      Payloads.requireFullyRead(payload, "TIMESTAMP_OK payload");
      return new TimestampOk(id, validUntil);
    }
  }

  /**
   * HEARTBEAT: {@code bytes[32] nodeKey, string address, u64 capacityBytes, u64 usedBytes, u64
   * blobCount, u64 timestampMillis, u8 hasHoldings, [u32 count, count × bytes[32] id], string
   * zone, bytes[64] signature}. The node signs everything before the signature in domain
   * HEARTBEAT, so nobody else can speak for it; the timestamp lets the receiver refuse old
   * replays. Holdings are the full list of blobs held, sent when asked for or when they
   * changed. The zone is the node's failure domain ({@link Zone}), checked on decode.
   */
  public record Heartbeat(byte[] nodeKey, String address, long capacityBytes, long usedBytes,
      long blobCount, long timestampMillis, List<ContentId> holdings, String zone,
      byte[] signature) {
    public Heartbeat {
      Fields.requireLength(nodeKey, Fields.KEY_BYTES, "nodeKey");
      requireNonNull(address, "address");
      holdings = holdings == null ? null : List.copyOf(holdings);
      Zone.check(zone);
      Fields.requireLength(signature, Fields.SIGNATURE_BYTES, "signature");
    }

    /** Returns the bytes the node signs: the payload up to the signature. */
    public static byte[] signedMessage(byte[] nodeKey, String address, long capacityBytes,
        long usedBytes, long blobCount, long timestampMillis, List<ContentId> holdings,
        String zone) {
      ByteBuf buffer = io.netty.buffer.Unpooled.buffer();
      try {
        writeBody(buffer, nodeKey, address, capacityBytes, usedBytes, blobCount, timestampMillis,
            holdings, zone);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
      } finally {
        buffer.release();
      }
    }

    private static void writeBody(ByteBuf buffer, byte[] nodeKey, String address,
        long capacityBytes, long usedBytes, long blobCount, long timestampMillis,
        List<ContentId> holdings, String zone) {
      buffer.writeBytes(nodeKey);
      Payloads.writeString(buffer, address, ADDRESS_BYTES_MAX);
      buffer.writeLong(capacityBytes);
      buffer.writeLong(usedBytes);
      buffer.writeLong(blobCount);
      buffer.writeLong(timestampMillis);
      buffer.writeByte(holdings == null ? 0 : 1);
      if (holdings != null) {
        Fields.writeIds(buffer, holdings);
      }
      Payloads.writeString(buffer, zone, Zone.BYTES_MAX);
    }

    /** Returns the signed part of this heartbeat, for verification. */
    public byte[] signedMessage() {
      return signedMessage(nodeKey, address, capacityBytes, usedBytes, blobCount,
          timestampMillis, holdings, zone);
    }

    public void writeTo(ByteBuf buffer) {
      writeBody(buffer, nodeKey, address, capacityBytes, usedBytes, blobCount, timestampMillis,
          holdings, zone);
      buffer.writeBytes(signature);
    }

    public static Heartbeat decode(ByteBuf payload) {
      byte[] key = Fields.readKey(payload, "HEARTBEAT nodeKey");
      String address = Payloads.readString(payload, ADDRESS_BYTES_MAX, "HEARTBEAT address");
      long capacity = Payloads.readU64(payload, "HEARTBEAT capacityBytes");
      long used = Payloads.readU64(payload, "HEARTBEAT usedBytes");
      long blobs = Payloads.readU64(payload, "HEARTBEAT blobCount");
      long timestamp = Payloads.readU64(payload, "HEARTBEAT timestampMillis");
      boolean hasHoldings = Payloads.readBoolean(payload, "HEARTBEAT hasHoldings");
      List<ContentId> holdings =
          hasHoldings ? Fields.readIds(payload, IDS_MAX, "HEARTBEAT holdings") : null;
      String zone = Zone.check(Payloads.readString(payload, Zone.BYTES_MAX, "HEARTBEAT zone"));
      byte[] signature = Fields.readSignature(payload, "HEARTBEAT signature");
      Payloads.requireFullyRead(payload, "HEARTBEAT payload");
      return new Heartbeat(key, address, capacity, used, blobs, timestamp, holdings, zone,
          signature);
    }
  }

  /** HEARTBEAT_OK: {@code u8 wantHoldings}: 1 asks the node to send its full holdings next. */
  public record HeartbeatOk(boolean wantHoldings) {
    public void writeTo(ByteBuf buffer) {
      buffer.writeByte(wantHoldings ? 1 : 0);
    }

    public static HeartbeatOk decode(ByteBuf payload) {
      boolean want = Payloads.readBoolean(payload, "HEARTBEAT_OK wantHoldings");
      Payloads.requireFullyRead(payload, "HEARTBEAT_OK payload");
      return new HeartbeatOk(want);
    }
  }

  /**
   * One node in a NODES_RESULT: {@code bytes[32] nodeKey, string address, u8 live, u64
   * capacityBytes, u64 usedBytes, u64 blobCount, u64 silenceMillis, i32 score, u8 standing,
   * u64 auditsPassed, u64 auditsFailed, u64 auditsUnanswered, string zone}. {@code score} is
   * the node's audit reputation in millionths ({@link #SCORE_PERFECT} = every audit passed);
   * {@code standing} is a {@link NodeStanding} code; the three counts are the audits this
   * service has recorded for the node; {@code zone} is its failure domain ({@link Zone}).
   */
  public record NodeInfo(byte[] nodeKey, String address, boolean live, long capacityBytes,
      long usedBytes, long blobCount, long silenceMillis, int score, NodeStanding standing,
      long auditsPassed, long auditsFailed, long auditsUnanswered, String zone) {
    /** The score of a node that never failed an audit (a reputation of 1.0). */
    public static final int SCORE_PERFECT = 1_000_000;

    public NodeInfo {
      Fields.requireLength(nodeKey, Fields.KEY_BYTES, "nodeKey");
      requireNonNull(address, "address");
      requireNonNull(standing, "standing");
      Zone.check(zone);
    }

    /** Returns the reputation as a fraction, 0.0 to 1.0. */
    public double reputation() {
      return score / (double) SCORE_PERFECT;
    }

    void writeTo(ByteBuf buffer) {
      buffer.writeBytes(nodeKey);
      Payloads.writeString(buffer, address, ADDRESS_BYTES_MAX);
      buffer.writeByte(live ? 1 : 0);
      buffer.writeLong(capacityBytes);
      buffer.writeLong(usedBytes);
      buffer.writeLong(blobCount);
      buffer.writeLong(silenceMillis);
      buffer.writeInt(score);
      buffer.writeByte(standing.code());
      buffer.writeLong(auditsPassed);
      buffer.writeLong(auditsFailed);
      buffer.writeLong(auditsUnanswered);
      Payloads.writeString(buffer, zone, Zone.BYTES_MAX);
    }

    static NodeInfo read(ByteBuf payload) {
      byte[] key = Fields.readKey(payload, "node key");
      String address = Payloads.readString(payload, ADDRESS_BYTES_MAX, "node address");
      boolean live = Payloads.readBoolean(payload, "node live");
      long capacity = Payloads.readU64(payload, "node capacityBytes");
      long used = Payloads.readU64(payload, "node usedBytes");
      long blobs = Payloads.readU64(payload, "node blobCount");
      long silence = Payloads.readU64(payload, "node silenceMillis");
      if (payload.readableBytes() < 4) {
        throw new CairnException(ErrorCode.BAD_FRAME, "node score is truncated");
      }
      int score = payload.readInt();
      NodeStanding standing = NodeStanding.fromCode(Payloads.readU8(payload, "node standing"));
      long passed = Payloads.readU64(payload, "node auditsPassed");
      long failed = Payloads.readU64(payload, "node auditsFailed");
      long unanswered = Payloads.readU64(payload, "node auditsUnanswered");
      String zone = Zone.check(Payloads.readString(payload, Zone.BYTES_MAX, "node zone"));
      return new NodeInfo(key, address, live, capacity, used, blobs, silence, score, standing,
          passed, failed, unanswered, zone);
    }

    /** Returns this node as placement sees it: key and zone. */
    public Placement.Node placementNode() {
      return new Placement.Node(nodeKey, zone);
    }
  }

  /** NODES_RESULT: {@code u32 count, count × NodeInfo}. */
  public record Nodes(List<NodeInfo> nodes) {
    public Nodes {
      nodes = List.copyOf(nodes);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeInt(nodes.size());
      nodes.forEach(n -> n.writeTo(buffer));
    }

    public static Nodes decode(ByteBuf payload) {
      int count = Fields.readCount(payload, NODES_MAX, 32 + 2 + 1 + 32 + 4 + 1 + 24 + 2,
          "nodes");
      List<NodeInfo> nodes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        nodes.add(NodeInfo.read(payload));
      }
      Payloads.requireFullyRead(payload, "NODES_RESULT payload");
      return new Nodes(nodes);
    }
  }

  /**
   * PLACEMENT: {@code u8 replicas, u32 count, count × bytes[32] id}: asks, for each blob, which
   * live nodes should hold it and which report holding it.
   */
  public record PlacementRequest(int replicas, List<ContentId> ids) {
    public PlacementRequest {
      if (replicas < 1 || replicas > 255) {
        throw new CairnException(ErrorCode.BAD_FRAME, "replicas must be 1..255");
      }
      ids = List.copyOf(ids);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeByte(replicas);
      Fields.writeIds(buffer, ids);
    }

    public static PlacementRequest decode(ByteBuf payload) {
      int replicas = Payloads.readU8(payload, "PLACEMENT replicas");
      List<ContentId> ids = Fields.readIds(payload, IDS_MAX, "PLACEMENT ids");
      Payloads.requireFullyRead(payload, "PLACEMENT payload");
      return new PlacementRequest(replicas, ids);
    }
  }

  /** One blob's row in a PLACEMENT_RESULT: the nodes that should hold it and that do. */
  public record BlobPlacement(List<byte[]> placed, List<byte[]> holders) {
    public BlobPlacement {
      placed = List.copyOf(placed);
      holders = List.copyOf(holders);
    }
  }

  /**
   * PLACEMENT_RESULT: {@code u32 count, count × (u32 placedCount, placedCount × bytes[32],
   * u32 holderCount, holderCount × bytes[32])}, in the order of the request's ids.
   */
  public record PlacementResult(List<BlobPlacement> blobs) {
    public PlacementResult {
      blobs = List.copyOf(blobs);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeInt(blobs.size());
      for (BlobPlacement blob : blobs) {
        writeKeys(buffer, blob.placed());
        writeKeys(buffer, blob.holders());
      }
    }

    private static void writeKeys(ByteBuf buffer, List<byte[]> keys) {
      buffer.writeInt(keys.size());
      keys.forEach(buffer::writeBytes);
    }

    private static List<byte[]> readKeys(ByteBuf payload, String field) {
      int count = Fields.readCount(payload, NODES_MAX, Fields.KEY_BYTES, field);
      List<byte[]> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        keys.add(Fields.readKey(payload, field));
      }
      return keys;
    }

    public static PlacementResult decode(ByteBuf payload) {
      int count = Fields.readCount(payload, IDS_MAX, 8, "PLACEMENT_RESULT blobs");
      List<BlobPlacement> blobs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        blobs.add(new BlobPlacement(readKeys(payload, "placed"), readKeys(payload, "holders")));
      }
      Payloads.requireFullyRead(payload, "PLACEMENT_RESULT payload");
      return new PlacementResult(blobs);
    }
  }

  /**
   * REPORT_BAD_HOLDER: {@code bytes[32] reporterKey, bytes[32] offenderKey, bytes[32] blobId,
   * u64 timestampMillis, bytes[64] signature}: a donor tells the metadata service that the
   * node {@code offenderKey} served bytes for {@code blobId} that do not hash to it. The
   * reporter signs everything before the signature in domain BAD_HOLDER, so a report cannot be
   * forged in another node's name. The answer is an empty REPORT_OK.
   */
  public record BadHolderReport(byte[] reporterKey, byte[] offenderKey, ContentId blobId,
      long timestampMillis, byte[] signature) {
    public BadHolderReport {
      Fields.requireLength(reporterKey, Fields.KEY_BYTES, "reporterKey");
      Fields.requireLength(offenderKey, Fields.KEY_BYTES, "offenderKey");
      requireNonNull(blobId, "blobId");
      Fields.requireLength(signature, Fields.SIGNATURE_BYTES, "signature");
    }

    /** Returns the bytes the reporter signs: the payload up to the signature. */
    public static byte[] signedMessage(byte[] reporterKey, byte[] offenderKey, ContentId blobId,
        long timestampMillis) {
      byte[] out = new byte[Fields.KEY_BYTES * 2 + ContentId.BYTES + 8];
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(out);
      buffer.put(reporterKey).put(offenderKey).put(blobId.toBytes()).putLong(timestampMillis);
      return out;
    }

    /** Returns the signed part of this report, for verification. */
    public byte[] signedMessage() {
      return signedMessage(reporterKey, offenderKey, blobId, timestampMillis);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeBytes(signedMessage());
      buffer.writeBytes(signature);
    }

    public static BadHolderReport decode(ByteBuf payload) {
      byte[] reporter = Fields.readKey(payload, "REPORT_BAD_HOLDER reporterKey");
      byte[] offender = Fields.readKey(payload, "REPORT_BAD_HOLDER offenderKey");
      ContentId blob = Fields.readId(payload, "REPORT_BAD_HOLDER blobId");
      long timestamp = Payloads.readU64(payload, "REPORT_BAD_HOLDER timestampMillis");
      byte[] signature = Fields.readSignature(payload, "REPORT_BAD_HOLDER signature");
      Payloads.requireFullyRead(payload, "REPORT_BAD_HOLDER payload");
      return new BadHolderReport(reporter, offender, blob, timestamp, signature);
    }
  }

  /**
   * FORGET_NODE: {@code bytes[32] nodeKey, u8 force, u64 timestampMillis, bytes[64] signature}
   * (docs/protocol.md 9.4): drop the service's record of a node. Without {@code force} only a
   * node that is not live may be forgotten, by anyone, and the signature is 64 zero bytes
   * (ignored). With {@code force} = 1 a live node may be forgotten too, and the signature must
   * be the service's own key's, in domain FORGET_NODE, over the payload before it: only its
   * operator holds that key. The answer is FORGET_OK.
   */
  public record ForgetNode(byte[] nodeKey, boolean force, long timestampMillis,
      byte[] signature) {
    public ForgetNode {
      Fields.requireLength(nodeKey, Fields.KEY_BYTES, "nodeKey");
      Fields.requireLength(signature, Fields.SIGNATURE_BYTES, "signature");
    }

    /** Returns an unsigned request to forget a node that is not live. */
    public static ForgetNode unforced(byte[] nodeKey, long timestampMillis) {
      return new ForgetNode(nodeKey, false, timestampMillis, new byte[Fields.SIGNATURE_BYTES]);
    }

    /** Returns the bytes the service's key signs: the payload up to the signature. */
    public static byte[] signedMessage(byte[] nodeKey, boolean force, long timestampMillis) {
      byte[] out = new byte[Fields.KEY_BYTES + 1 + 8];
      java.nio.ByteBuffer.wrap(out).put(nodeKey).put((byte) (force ? 1 : 0))
          .putLong(timestampMillis);
      return out;
    }

    /** Returns the signed part of this request, for verification. */
    public byte[] signedMessage() {
      return signedMessage(nodeKey, force, timestampMillis);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeBytes(signedMessage());
      buffer.writeBytes(signature);
    }

    public static ForgetNode decode(ByteBuf payload) {
      byte[] key = Fields.readKey(payload, "FORGET_NODE nodeKey");
      boolean force = Payloads.readBoolean(payload, "FORGET_NODE force");
      long timestamp = Payloads.readU64(payload, "FORGET_NODE timestampMillis");
      byte[] signature = Fields.readSignature(payload, "FORGET_NODE signature");
      Payloads.requireFullyRead(payload, "FORGET_NODE payload");
      return new ForgetNode(key, force, timestamp, signature);
    }
  }

  /** FORGET_OK: {@code u8 wasLive}: 1 if the node had heartbeated within dead-after. */
  public record ForgetOk(boolean wasLive) {
    public void writeTo(ByteBuf buffer) {
      buffer.writeByte(wasLive ? 1 : 0);
    }

    public static ForgetOk decode(ByteBuf payload) {
      boolean live = Payloads.readBoolean(payload, "FORGET_OK wasLive");
      Payloads.requireFullyRead(payload, "FORGET_OK payload");
      return new ForgetOk(live);
    }
  }
}
