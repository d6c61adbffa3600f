package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.AtomicFiles;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.message.LedgerMessages;
import dev.cairn.wire.message.LedgerMessages.LedgerEntry;
import dev.cairn.wire.message.LedgerMessages.Receipt;
import dev.cairn.wire.message.NodeStanding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Each node's proved contribution (docs/protocol.md 9.9): credit grows by the bytes its audits
 * back (blobs it claims whose latest audit here passed) times the time they are held, divided
 * by the credit period; debit is the bytes it read, from donors' signed receipts. A failed
 * audit (wrong bytes, or a claimed blob missing) forfeits the credit earned so far, and a
 * disqualified node's credit counts as 0 while it is disqualified.
 *
 * <p>A receipt changes the ledger only if it is signed by a donor that heartbeats here and is
 * not disqualified, is about another node known here, counts 1 byte to {@link
 * LedgerMessages#RECEIPT_BYTES_MAX}, was signed within {@link #RECEIPT_SKEW_MILLIS} of this
 * service's clock, and has a serial above every receipt taken from that donor before; anything
 * else is BAD_RECEIPT and changes nothing.
 *
 * <p>Saved in {@code ledger.txt} ({@link #save}), replaced atomically, so a restart neither
 * forgives debits nor lets a donor's old receipts count twice.
 */
final class ContributionLedger {
  private static final Logger LOG = Logger.getLogger(ContributionLedger.class.getName());
  /** How far a receipt's clock may be from the service's. */
  static final long RECEIPT_SKEW_MILLIS = 10 * 60_000L;
  /** Name of the file in the data directory. */
  static final String FILE_NAME = "ledger.txt";
  /** Most accounts kept (nodes as readers and as donors). */
  static final int ACCOUNTS_MAX = 2 * NodeRegistry.NODES_MAX;
  private static final String HEADER = "# cairn contribution ledger v1";

  /** What the ledger needs to know of the node registry. */
  interface Members {
    /** Returns the node's standing here, or null if the service does not know it. */
    NodeStanding standing(PublicKey key);
  }

  private static final class Account {
    double creditBytes;
    long debitBytes;
    long auditedBytes;
    long lastSerial;
  }

  private final LedgerSettings settings;
  private final Path file;
  private final Map<PublicKey, Account> accounts = new HashMap<>();
  private boolean changed;

  ContributionLedger(LedgerSettings settings, Path dataDir) {
    this.settings = requireNonNull(settings, "settings");
    this.file = dataDir == null ? null : dataDir.resolve(FILE_NAME);
  }

  LedgerSettings settings() {
    return settings;
  }

  /**
   * Adds {@code elapsedMillis} of holding to every node in {@code auditedBytes} (nodes that are
   * live and not disqualified, with the bytes their latest audits back), and sets every other
   * account's audited bytes to 0.
   */
  synchronized void accrue(Map<PublicKey, Long> auditedBytes, long elapsedMillis) {
    for (Account account : accounts.values()) {
      account.auditedBytes = 0;
    }
    double periods = (double) elapsedMillis / settings.creditPeriod().toMillis();
    auditedBytes.forEach((key, bytes) -> {
      Account account = account(key);
      if (account == null) {
        return;
      }
      account.auditedBytes = bytes;
      if (bytes > 0 && elapsedMillis > 0) {
        account.creditBytes += bytes * periods;
        changed = true;
      }
    });
  }

  /** Forfeits the credit {@code key} earned so far: an audit proved a claim of it false. */
  synchronized void forfeit(PublicKey key, String why) {
    Account account = accounts.get(key);
    if (account != null && account.creditBytes > 0) {
      LOG.info("node " + key.fingerprint() + " forfeits " + (long) account.creditBytes
          + " bytes of credit: " + why);
      account.creditBytes = 0;
      changed = true;
    }
  }

  /** Takes a donor's receipt into the reader's debit, or refuses it; see the class comment. */
  synchronized void receipt(Receipt receipt, Members members, long nowMillis) {
    PublicKey donor = checkedDonor(receipt, members);
    if (receipt.servedBytes() < 1 || receipt.servedBytes() > LedgerMessages.RECEIPT_BYTES_MAX) {
      throw bad("counts " + receipt.servedBytes() + " bytes; a receipt counts 1 to "
          + LedgerMessages.RECEIPT_BYTES_MAX);
    }
    long skew = Math.abs(nowMillis - receipt.timestampMillis());
    if (skew > RECEIPT_SKEW_MILLIS) {
      throw bad("was signed " + skew + " ms from this service's clock; at most "
          + RECEIPT_SKEW_MILLIS + " ms");
    }
    PublicKey reader = PublicKey.fromBytes(receipt.readerKey());
    if (reader.equals(donor)) {
      throw bad("names its own donor as the reader");
    }
    if (members.standing(reader) == null) {
      throw bad("names reader " + reader.fingerprint() + ", not a node known here");
    }
    Account donorAccount = account(donor);
    Account readerAccount = account(reader);
    if (donorAccount == null || readerAccount == null) {
      throw new CairnException(ErrorCode.BUSY, "the ledger holds " + ACCOUNTS_MAX
          + " accounts already");
    }
    if (Long.compareUnsigned(receipt.serial(), donorAccount.lastSerial) <= 0) {
      throw bad("has serial " + Long.toUnsignedString(receipt.serial()) + ", not above the "
          + "last taken from donor " + donor.fingerprint() + " ("
          + Long.toUnsignedString(donorAccount.lastSerial) + "): a replay");
    }
    donorAccount.lastSerial = receipt.serial();
    debit(readerAccount, receipt.servedBytes());
  }

  /** Adds {@code bytes} to {@code reader}'s debit; the incentive simulation's receipts. */
  synchronized void debit(PublicKey reader, long bytes) {
    Account account = account(reader);
    if (account != null) {
      debit(account, bytes);
    }
  }

  private void debit(Account account, long bytes) {
    account.debitBytes = saturatingAdd(account.debitBytes, bytes);
    changed = true;
  }

  private static PublicKey checkedDonor(Receipt receipt, Members members) {
    PublicKey donor;
    try {
      donor = PublicKey.fromBytes(receipt.donorKey());
    } catch (CairnException e) {
      throw bad("names no valid donor key");
    }
    if (!donor.verify(SignatureDomain.RECEIPT, receipt.signedMessage(), receipt.signature())) {
      throw bad("is not signed by donor " + donor.fingerprint() + ": forged or damaged");
    }
    NodeStanding standing = members.standing(donor);
    if (standing == null || standing == NodeStanding.DISQUALIFIED) {
      throw bad("comes from " + donor.fingerprint() + ", not a node in good standing here");
    }
    return donor;
  }

  private static CairnException bad(String what) {
    return new CairnException(ErrorCode.BAD_RECEIPT, "receipt " + what);
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private Account account(PublicKey key) {
    Account account = accounts.get(key);
    if (account == null && accounts.size() < ACCOUNTS_MAX) {
      account = new Account();
      accounts.put(key, account);
    }
    return account;
  }

  /** Returns {@code key}'s entry as GET_LEDGER reports it. */
  synchronized LedgerEntry entry(PublicKey key, Members members) {
    NodeStanding standing = members.standing(key);
    if (standing == null) {
      return LedgerEntry.unknown();
    }
    Account account = accounts.get(key);
    if (account == null) {
      return new LedgerEntry(true, standing, 0, 0, 0);
    }
    long credit = standing == NodeStanding.DISQUALIFIED ? 0 : (long) account.creditBytes;
    return new LedgerEntry(true, standing, account.auditedBytes, credit, account.debitBytes);
  }

  /** Returns the entries of {@code keys}, in order. */
  List<LedgerEntry> entries(List<PublicKey> keys, Members members) {
    List<LedgerEntry> out = new ArrayList<>(keys.size());
    for (PublicKey key : keys) {
      out.add(entry(key, members));
    }
    return out;
  }

  /** Reads {@code ledger.txt} if there is one; a line that does not parse is skipped. */
  synchronized void load() {
    if (file == null) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#") || accounts.size() >= ACCOUNTS_MAX) {
        continue;
      }
      try {
        String[] fields = line.trim().split(" ");
        if (fields.length != 4) {
          throw new IllegalArgumentException("4 fields expected");
        }
        Account account = new Account();
        account.creditBytes = Double.parseDouble(fields[1]);
        account.debitBytes = Long.parseLong(fields[2]);
        account.lastSerial = Long.parseUnsignedLong(fields[3]);
        if (!(account.creditBytes >= 0) || account.debitBytes < 0) {
          throw new IllegalArgumentException("negative or not a number");
        }
        accounts.put(PublicKey.parse(fields[0]), account);
      } catch (RuntimeException e) {
        LOG.warning("skipping a line of " + file + " that does not parse: " + e.getMessage());
      }
    }
  }

  /** Writes the ledger if it changed since the last save: temporary file, force, rename. */
  void save() {
    String text;
    synchronized (this) {
      if (file == null || !changed) {
        return;
      }
      changed = false;
      StringBuilder out = new StringBuilder(HEADER).append('\n');
      accounts.forEach((key, account) -> out.append(key.toHex()).append(' ')
          .append(String.format(Locale.ROOT, "%s", account.creditBytes)).append(' ')
          .append(account.debitBytes).append(' ')
          .append(Long.toUnsignedString(account.lastSerial)).append('\n'));
      text = out.toString();
    }
    try {
      AtomicFiles.replace(file, text);
    } catch (IOException e) {
      LOG.warning("cannot save the ledger (it stays in memory): " + e.getMessage());
    }
  }
}
