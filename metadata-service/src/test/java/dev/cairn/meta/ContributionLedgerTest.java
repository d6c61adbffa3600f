package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.LedgerMessages.LedgerEntry;
import dev.cairn.wire.message.LedgerMessages.Receipt;
import dev.cairn.wire.message.NodeStanding;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's documented formula (protocol.md 9.9): credit = audited bytes × time / period,
 * forfeited by a failed audit and void while disqualified; debit only from receipts that pass
 * every check, each check refusing with BAD_RECEIPT and changing nothing; and its file.
 */
class ContributionLedgerTest {
  private static final long NOW = 1_767_225_600_000L;
  private final SigningKey donor = SigningKey.generate(new SecureRandom());
  private final SigningKey reader = SigningKey.generate(new SecureRandom());
  private final Map<PublicKey, NodeStanding> standings = new HashMap<>();
  private final ContributionLedger.Members members = standings::get;

  @TempDir Path dir;

  private ContributionLedger ledger() {
    standings.put(donor.publicKey(), NodeStanding.ACTIVE);
    standings.put(reader.publicKey(), NodeStanding.VETTING);
    return new ContributionLedger(new LedgerSettings(Duration.ofDays(1), 1L << 30,
        Duration.ofSeconds(10)), dir);
  }

  private Receipt receipt(SigningKey signer, PublicKey readerKey, long serial, long bytes,
      long timestamp) {
    byte[] donorKey = donor.publicKey().toBytes();
    byte[] signature = signer.sign(SignatureDomain.RECEIPT,
        Receipt.signedMessage(donorKey, readerKey.toBytes(), serial, bytes, timestamp));
    return new Receipt(donorKey, readerKey.toBytes(), serial, bytes, timestamp, signature);
  }

  @Test
  void creditIsAuditedBytesTimesTimeOverThePeriod() {
    ContributionLedger ledger = ledger();
    PublicKey node = reader.publicKey();
    ledger.accrue(Map.of(node, 1L << 30), Duration.ofHours(12).toMillis());
    LedgerEntry half = ledger.entry(node, members);
    assertEquals(1L << 29, half.creditBytes(), "1 GiB held for half a day earns 512 MiB");
    assertEquals(1L << 30, half.auditedBytes());
    ledger.accrue(Map.of(), Duration.ofHours(12).toMillis());
    assertEquals(0, ledger.entry(node, members).auditedBytes(), "a silent node holds nothing");
    assertEquals(1L << 29, ledger.entry(node, members).creditBytes(), "earned credit stays");

    standings.put(node, NodeStanding.DISQUALIFIED);
    assertEquals(0, ledger.entry(node, members).creditBytes(), "void while disqualified");
    standings.put(node, NodeStanding.ACTIVE);
    assertEquals(1L << 29, ledger.entry(node, members).creditBytes());
    ledger.forfeit(node, "test");
    assertEquals(0, ledger.entry(node, members).creditBytes(), "a failed audit forfeits it");
  }

  @Test
  void everyBadReceiptIsRefusedByNameAndChangesNothing() {
    ContributionLedger ledger = ledger();
    PublicKey readerKey = reader.publicKey();
    ledger.receipt(receipt(donor, readerKey, 10, 1_000, NOW), members, NOW);
    assertEquals(1_000, ledger.entry(readerKey, members).debitBytes());

    PublicKey stranger = SigningKey.generate(new SecureRandom()).publicKey();
    Map<String, Receipt> bad = new java.util.LinkedHashMap<>();
    bad.put("not signed by", receipt(reader, readerKey, 11, 1_000, NOW));
    bad.put("replay", receipt(donor, readerKey, 10, 1_000, NOW));
    bad.put("counts 0 bytes", receipt(donor, readerKey, 12, 0, NOW));
    bad.put("counts 1099511627777 bytes", receipt(donor, readerKey, 13, (1L << 40) + 1, NOW));
    bad.put("ms from this service's clock", receipt(donor, readerKey, 14, 1_000,
        NOW - ContributionLedger.RECEIPT_SKEW_MILLIS - 1));
    bad.put("own donor", receipt(donor, donor.publicKey(), 15, 1_000, NOW));
    bad.put("not a node known here", receipt(donor, stranger, 16, 1_000, NOW));
    bad.forEach((why, receipt) -> {
      CairnException e = assertThrows(CairnException.class,
          () -> ledger.receipt(receipt, members, NOW), why);
      assertEquals(ErrorCode.BAD_RECEIPT, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(why), why + " in " + e.getMessage());
      assertEquals(1_000, ledger.entry(readerKey, members).debitBytes(), why);
    });

    standings.put(donor.publicKey(), NodeStanding.DISQUALIFIED);
    CairnException disqualified = assertThrows(CairnException.class,
        () -> ledger.receipt(receipt(donor, readerKey, 17, 1_000, NOW), members, NOW));
    assertTrue(disqualified.getMessage().contains("not a node in good standing"),
        disqualified.getMessage());
    standings.put(donor.publicKey(), NodeStanding.ACTIVE);
    ledger.receipt(receipt(donor, readerKey, 18, 500, NOW), members, NOW);
    assertEquals(1_500, ledger.entry(readerKey, members).debitBytes());
  }

  @Test
  void theFileKeepsCreditDebitAndTheLastSerialAcrossARestart() {
    ContributionLedger ledger = ledger();
    PublicKey readerKey = reader.publicKey();
    ledger.accrue(Map.of(readerKey, 86_400L), Duration.ofDays(1).toMillis());
    ledger.receipt(receipt(donor, readerKey, 42, 7, NOW), members, NOW);
    ledger.save();

    ContributionLedger restarted = ledger();
    restarted.load();
    assertEquals(86_400, restarted.entry(readerKey, members).creditBytes());
    assertEquals(7, restarted.entry(readerKey, members).debitBytes());
    CairnException replay = assertThrows(CairnException.class,
        () -> restarted.receipt(receipt(donor, readerKey, 42, 7, NOW), members, NOW));
    assertEquals(ErrorCode.BAD_RECEIPT, replay.code(), "a restart takes no receipt twice");
  }
}
