package dev.cairn.client.net;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.message.MetaMessages.TableHead;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Heads one client verified lately, so a head offered again byte for byte (the common case: a
 * reader asking for the heads of the same tables every few hundred milliseconds) is not
 * decoded and its two signatures are not checked again. A head is re-used only if its schema,
 * claim signature and manifest bytes are all equal to those verified (compared in full, not
 * by hash alone), so the answer is the one {@link VerifiedHead#verify} would give; what the
 * caller asked for (schema and table) is still checked on every call. Bounded to {@link
 * #ENTRIES_MAX} heads, least recently used first out.
 */
final class VerifiedHeadMemo {
  /** Most heads kept: a reader's working set of tables, each head about 0.4 KB per batch. */
  static final int ENTRIES_MAX = 128;

  private record Entry(TableHead offered, VerifiedHead verified) { }

  private final Map<ContentId, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ContentId, Entry> eldest) {
      return size() > ENTRIES_MAX;
    }
  };

  /** Verifies {@code head} like {@link VerifiedHead#verify}, re-using an identical one's result. */
  VerifiedHead verify(TableHead head, String schema, String table) {
    ContentId key = ContentId.sha256(head.manifest());
    Entry known;
    synchronized (this) {
      known = entries.get(key);
    }
    if (known != null && sameBytes(known.offered(), head)) {
      VerifiedHead v = known.verified();
      if ((schema == null || schema.equals(v.schema()))
          && (table == null || table.equals(v.table()))) {
        return v;
      }
    }
    VerifiedHead verified = VerifiedHead.verify(head, schema, table); // throws if not genuine
    synchronized (this) {
      entries.put(key, new Entry(head, verified));
    }
    return verified;
  }

  private static boolean sameBytes(TableHead a, TableHead b) {
    return a.schema().equals(b.schema()) && Arrays.equals(a.claimSignature(), b.claimSignature())
        && Arrays.equals(a.manifest(), b.manifest());
  }
}
