package dev.cairn.wire.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.LedgerMessages.GetLedger;
import dev.cairn.wire.message.LedgerMessages.Identify;
import dev.cairn.wire.message.LedgerMessages.LedgerEntry;
import dev.cairn.wire.message.LedgerMessages.LedgerResult;
import dev.cairn.wire.message.LedgerMessages.Receipt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The social contract's payloads (protocol.md 6.6, 9.9): round trips and strict decoding. */
class LedgerMessagesTest {
  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  @Test
  void identifyRoundTripsAndSignsBothKeysAndTheClock() {
    Identify identify = new Identify(filled(32, 1), filled(32, 2), 1_767_225_600_000L,
        filled(64, 3));
    ByteBuf buffer = Unpooled.buffer();
    identify.writeTo(buffer);
    assertEquals(Identify.BYTES, buffer.readableBytes());
    Identify back = Identify.decode(buffer);
    assertArrayEquals(identify.signedMessage(), back.signedMessage());
    assertEquals(72, identify.signedMessage().length);
    assertArrayEquals(filled(64, 3), back.signature());
  }

  @Test
  void receiptRoundTripsAndRefusesTruncationAndTrailingBytes() {
    Receipt receipt = new Receipt(filled(32, 4), filled(32, 5), 7, 4096, 1_767_225_600_000L,
        filled(64, 6));
    ByteBuf buffer = Unpooled.buffer();
    receipt.writeTo(buffer);
    assertEquals(Receipt.BYTES, buffer.readableBytes());
    byte[] encoded = new byte[buffer.readableBytes()];
    buffer.getBytes(0, encoded);
    Receipt back = Receipt.decode(buffer);
    assertEquals(7, back.serial());
    assertEquals(4096, back.servedBytes());
    CairnException truncated = assertThrows(CairnException.class, () -> Receipt.decode(
        Unpooled.wrappedBuffer(java.util.Arrays.copyOf(encoded, encoded.length - 1))));
    assertEquals(ErrorCode.BAD_FRAME, truncated.code());
    CairnException trailing = assertThrows(CairnException.class, () -> Receipt.decode(
        Unpooled.wrappedBuffer(java.util.Arrays.copyOf(encoded, encoded.length + 1))));
    assertEquals(ErrorCode.BAD_FRAME, trailing.code());
  }

  @Test
  void goldenReceiptDecodesVerifiesAndEncodesBack() {
    byte[] golden = dev.cairn.wire.GoldenVectors.hex("receipt");
    Receipt receipt = Receipt.decode(Unpooled.wrappedBuffer(golden));
    byte[] reader = new byte[32];
    for (int i = 0; i < reader.length; i++) {
      reader[i] = (byte) i;
    }
    assertArrayEquals(reader, receipt.readerKey());
    assertEquals(1_767_225_600_000_000L, receipt.serial());
    assertEquals(4096, receipt.servedBytes());
    assertEquals(1_767_225_600_000L, receipt.timestampMillis());
    dev.cairn.wire.crypto.PublicKey donor =
        dev.cairn.wire.crypto.PublicKey.fromBytes(receipt.donorKey());
    assertEquals("mw3am46w5weex4a4", donor.fingerprint().toString());
    org.junit.jupiter.api.Assertions.assertTrue(donor.verify(
        dev.cairn.wire.crypto.SignatureDomain.RECEIPT, receipt.signedMessage(),
        receipt.signature()));
    ByteBuf again = Unpooled.buffer();
    receipt.writeTo(again);
    byte[] encoded = new byte[again.readableBytes()];
    again.readBytes(encoded);
    assertArrayEquals(golden, encoded);
  }

  @Test
  void ledgerQueryAndResultRoundTripAndBoundTheirCounts() {
    ByteBuf ask = Unpooled.buffer();
    new GetLedger(List.of(filled(32, 7), filled(32, 8))).writeTo(ask);
    assertEquals(2, GetLedger.decode(ask).nodeKeys().size());

    LedgerResult result = new LedgerResult(86_400_000L, 1L << 30, List.of(
        new LedgerEntry(true, NodeStanding.ACTIVE, 10, 20, 30), LedgerEntry.unknown()));
    ByteBuf reply = Unpooled.buffer();
    result.writeTo(reply);
    assertEquals(result, LedgerResult.decode(reply));

    ByteBuf tooMany = Unpooled.buffer();
    tooMany.writeInt(LedgerMessages.LEDGER_KEYS_MAX + 1);
    CairnException over = assertThrows(CairnException.class, () -> GetLedger.decode(tooMany));
    assertEquals(ErrorCode.BAD_FRAME, over.code());
    ByteBuf lying = Unpooled.buffer();
    lying.writeLong(1).writeLong(0).writeInt(3); // three entries announced, none sent
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> LedgerResult.decode(lying)).code());
  }
}
