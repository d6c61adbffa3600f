package dev.cairn.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuotaLedgerTest {
  @TempDir Path dir;

  private static ContentId id(int i) {
    return ContentId.of(("blob" + i).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void chargesPersistAndQuotasHold() throws Exception {
    QuotaLedger.Policy policy = new QuotaLedger.Policy(100, Map.of("big", 1000L, "none", 0L));
    try (QuotaLedger ledger = QuotaLedger.open(dir, policy)) {
      ledger.check("alice", id(1), 60);
      ledger.charge("alice", id(1), 60);
      ledger.charge("alice", id(1), 60); // same blob twice: charged once
      assertEquals(60, ledger.usedBytes("alice"));
      CairnException over = assertThrows(CairnException.class, () -> ledger.check("alice", id(2), 41));
      assertEquals(ErrorCode.QUOTA_EXCEEDED, over.code());
      ledger.check("alice", id(1), 60); // already charged: re-upload is free
      ledger.check("big", id(2), 900);
      CairnException refused = assertThrows(CairnException.class, () -> ledger.check("none", id(3), 1));
      assertEquals(ErrorCode.QUOTA_EXCEEDED, refused.code());
    }
    // A torn last line, as a crash mid-append would leave.
    Files.writeString(dir.resolve("ledger.log"), "alice 12", StandardOpenOption.APPEND);
    try (QuotaLedger reopened = QuotaLedger.open(dir, policy)) {
      assertEquals(60, reopened.usedBytes("alice"));
      assertEquals(Map.of("alice", 60L), reopened.usage());
      reopened.charge("bob", id(4), 7);
    }
    try (QuotaLedger again = QuotaLedger.open(dir, policy)) {
      assertEquals(7, again.usedBytes("bob"), "a charge after a torn line is not lost");
      assertEquals(60, again.usedBytes("alice"));
    }
  }

  @Test
  void aReleasedBlobFreesItsChargeForEveryKeyAndStaysReleased() throws Exception {
    QuotaLedger.Policy policy = new QuotaLedger.Policy(100, Map.of());
    try (QuotaLedger ledger = QuotaLedger.open(dir, policy)) {
      ledger.charge("alice", id(1), 60);
      ledger.charge("bob", id(1), 60);
      ledger.charge("alice", id(2), 30);
      assertEquals(2, ledger.release(id(1), 60));
      assertEquals(0, ledger.release(id(1), 60), "releasing twice is a no-op");
      assertEquals(30, ledger.usedBytes("alice"));
      ledger.check("alice", id(3), 70); // the freed room is usable again
    }
    try (QuotaLedger reopened = QuotaLedger.open(dir, policy)) {
      assertEquals(30, reopened.usedBytes("alice"));
      assertEquals(0, reopened.usedBytes("bob"));
      reopened.charge("bob", id(1), 60); // stored again later: charged again
      assertEquals(60, reopened.usedBytes("bob"));
    }
  }
}
