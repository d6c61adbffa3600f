package dev.cairn.wire.message;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Payloads;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads of the social contract (docs/protocol.md 6.6 and 9.9): a connection proving
 * the key of its HELLO (IDENTIFY), a donor's signed receipt of bytes it served to an
 * identified reader (RECEIPT), and the contribution ledger a metadata service keeps per node
 * (GET_LEDGER, LEDGER_RESULT). Every decoder consumes the whole payload and bounds every count
 * before allocating; a violation is BAD_FRAME.
 */
public final class LedgerMessages {
  /** Most bytes one receipt may count (1 TiB): a donor sends receipts every few seconds. */
  public static final long RECEIPT_BYTES_MAX = 1L << 40;
  /** Most nodes one GET_LEDGER may ask about. */
  public static final int LEDGER_KEYS_MAX = MetaMessages.NODES_MAX;

  private LedgerMessages() {}

  /**
   * IDENTIFY: {@code bytes[32] nodeKey, bytes[32] peerKey, u64 timestampMillis, bytes[64]
   * signature}: the sender's key (the one its HELLO carried) signs, in domain {@code node/v1},
   * the receiver's HELLO key and its clock, so the proof is good for that receiver only. The
   * answer is an empty IDENTIFY_OK.
   */
  public record Identify(byte[] nodeKey, byte[] peerKey, long timestampMillis,
      byte[] signature) {
    /** Size of the payload. */
    public static final int BYTES = Fields.KEY_BYTES * 2 + 8 + Fields.SIGNATURE_BYTES;

    public Identify {
      Fields.requireLength(nodeKey, Fields.KEY_BYTES, "nodeKey");
      Fields.requireLength(peerKey, Fields.KEY_BYTES, "peerKey");
      Fields.requireLength(signature, Fields.SIGNATURE_BYTES, "signature");
    }

    /** Returns the bytes the sender signs: the payload up to the signature. */
    public static byte[] signedMessage(byte[] nodeKey, byte[] peerKey, long timestampMillis) {
      byte[] out = new byte[Fields.KEY_BYTES * 2 + 8];
      ByteBuffer.wrap(out).put(nodeKey).put(peerKey).putLong(timestampMillis);
      return out;
    }

    /** Returns the signed part of this proof, for verification. */
    public byte[] signedMessage() {
      return signedMessage(nodeKey, peerKey, timestampMillis);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeBytes(signedMessage());
      buffer.writeBytes(signature);
    }

    public static Identify decode(ByteBuf payload) {
      byte[] node = Fields.readKey(payload, "IDENTIFY nodeKey");
      byte[] peer = Fields.readKey(payload, "IDENTIFY peerKey");
      long timestamp = Payloads.readU64(payload, "IDENTIFY timestampMillis");
      byte[] signature = Fields.readSignature(payload, "IDENTIFY signature");
      Payloads.requireFullyRead(payload, "IDENTIFY payload");
      return new Identify(node, peer, timestamp, signature);
    }
  }

  /**
   * RECEIPT: {@code bytes[32] donorKey, bytes[32] readerKey, u64 serial, u64 servedBytes, u64
   * timestampMillis, bytes[64] signature}: donor {@code donorKey} served {@code servedBytes}
   * (1 to {@link #RECEIPT_BYTES_MAX}) to the reader that proved {@code readerKey}, signed by
   * the donor in domain {@code receipt/v1}. {@code serial} grows with every receipt a donor
   * signs, so a service takes each receipt once. The answer is an empty RECEIPT_OK.
   */
  public record Receipt(byte[] donorKey, byte[] readerKey, long serial, long servedBytes,
      long timestampMillis, byte[] signature) {
    /** Size of the payload. */
    public static final int BYTES = Fields.KEY_BYTES * 2 + 24 + Fields.SIGNATURE_BYTES;

    public Receipt {
      Fields.requireLength(donorKey, Fields.KEY_BYTES, "donorKey");
      Fields.requireLength(readerKey, Fields.KEY_BYTES, "readerKey");
      Fields.requireLength(signature, Fields.SIGNATURE_BYTES, "signature");
    }

    /** Returns the bytes the donor signs: the payload up to the signature. */
    public static byte[] signedMessage(byte[] donorKey, byte[] readerKey, long serial,
        long servedBytes, long timestampMillis) {
      byte[] out = new byte[Fields.KEY_BYTES * 2 + 24];
      ByteBuffer.wrap(out).put(donorKey).put(readerKey).putLong(serial).putLong(servedBytes)
          .putLong(timestampMillis);
      return out;
    }

    /** Returns the signed part of this receipt, for verification. */
    public byte[] signedMessage() {
      return signedMessage(donorKey, readerKey, serial, servedBytes, timestampMillis);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeBytes(signedMessage());
      buffer.writeBytes(signature);
    }

    public static Receipt decode(ByteBuf payload) {
      byte[] donor = Fields.readKey(payload, "RECEIPT donorKey");
      byte[] reader = Fields.readKey(payload, "RECEIPT readerKey");
      long serial = Payloads.readU64(payload, "RECEIPT serial");
      long served = Payloads.readU64(payload, "RECEIPT servedBytes");
      long timestamp = Payloads.readU64(payload, "RECEIPT timestampMillis");
      byte[] signature = Fields.readSignature(payload, "RECEIPT signature");
      Payloads.requireFullyRead(payload, "RECEIPT payload");
      return new Receipt(donor, reader, serial, served, timestamp, signature);
    }
  }

  /** GET_LEDGER: {@code u32 count, count × bytes[32] nodeKey}, at most 10 000 keys. */
  public record GetLedger(List<byte[]> nodeKeys) {
    public GetLedger {
      nodeKeys = List.copyOf(nodeKeys);
      if (nodeKeys.size() > LEDGER_KEYS_MAX) {
        throw new IllegalArgumentException("at most " + LEDGER_KEYS_MAX + " keys");
      }
      nodeKeys.forEach(key -> Fields.requireLength(key, Fields.KEY_BYTES, "nodeKey"));
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeInt(nodeKeys.size());
      nodeKeys.forEach(buffer::writeBytes);
    }

    public static GetLedger decode(ByteBuf payload) {
      int count = Fields.readCount(payload, LEDGER_KEYS_MAX, Fields.KEY_BYTES, "GET_LEDGER");
      List<byte[]> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        keys.add(Fields.readKey(payload, "GET_LEDGER nodeKey"));
      }
      Payloads.requireFullyRead(payload, "GET_LEDGER payload");
      return new GetLedger(keys);
    }
  }

  /**
   * One node's ledger entry: whether the service knows the node (it heartbeats or did), its
   * standing, the bytes its audits back now, its credit (audited bytes × time, in byte-periods
   * of the service's credit period) and its debit (bytes read, from receipts).
   */
  public record LedgerEntry(boolean known, NodeStanding standing, long auditedBytes,
      long creditBytes, long debitBytes) {
    /** Size of one entry on the wire. */
    static final int BYTES = 1 + 1 + 24;

    public LedgerEntry {
      requireNonNull(standing, "standing");
    }

    /** The entry of a node the service has never heard of. */
    public static LedgerEntry unknown() {
      return new LedgerEntry(false, NodeStanding.VETTING, 0, 0, 0);
    }
  }

  /**
   * LEDGER_RESULT: {@code u64 creditPeriodMillis, u64 starterAllowanceBytes, u32 count}, then
   * per asked key, in request order: {@code u8 known, u8 standing, u64 auditedBytes, u64
   * creditBytes, u64 debitBytes}.
   */
  public record LedgerResult(long creditPeriodMillis, long starterAllowanceBytes,
      List<LedgerEntry> entries) {
    public LedgerResult {
      entries = List.copyOf(entries);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeLong(creditPeriodMillis);
      buffer.writeLong(starterAllowanceBytes);
      buffer.writeInt(entries.size());
      for (LedgerEntry entry : entries) {
        buffer.writeByte(entry.known() ? 1 : 0);
        buffer.writeByte(entry.standing().code());
        buffer.writeLong(entry.auditedBytes());
        buffer.writeLong(entry.creditBytes());
        buffer.writeLong(entry.debitBytes());
      }
    }

    public static LedgerResult decode(ByteBuf payload) {
      long period = Payloads.readU64(payload, "LEDGER_RESULT creditPeriodMillis");
      long allowance = Payloads.readU64(payload, "LEDGER_RESULT starterAllowanceBytes");
      int count = Fields.readCount(payload, LEDGER_KEYS_MAX, LedgerEntry.BYTES,
          "LEDGER_RESULT");
      List<LedgerEntry> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        boolean known = Payloads.readBoolean(payload, "LEDGER_RESULT known");
        NodeStanding standing = NodeStanding.fromCode(
            Payloads.readU8(payload, "LEDGER_RESULT standing"));
        entries.add(new LedgerEntry(known, standing,
            nonNegative(payload, "auditedBytes"), nonNegative(payload, "creditBytes"),
            nonNegative(payload, "debitBytes")));
      }
      Payloads.requireFullyRead(payload, "LEDGER_RESULT payload");
      return new LedgerResult(period, allowance, entries);
    }

    private static long nonNegative(ByteBuf payload, String field) {
      long value = Payloads.readU64(payload, "LEDGER_RESULT " + field);
      if (value < 0) {
        throw new CairnException(ErrorCode.BAD_FRAME, "LEDGER_RESULT " + field
            + " exceeds 2^63-1");
      }
      return value;
    }
  }
}
