package dev.cairn.spark;

import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;

/**
 * Reads, on the driver, the one verified head a Spark job reads: the newest of a table (refused
 * once its writer's freshness promise lapsed, FROZEN) or the version a name or {@code VERSION
 * AS OF} pins. Every executor then reads exactly the batches this head lists, even if a newer
 * version is published while the job runs.
 */
final class Heads {
  private Heads() {}

  /** Returns the verified head {@code ref} names; NOT_FOUND if no service knows it. */
  static VerifiedHead read(MetaClient meta, TableRef ref) {
    if (ref.version().isEmpty()) {
      VerifiedHead head = meta.head(ref.schema(), ref.table()).orElseThrow(() ->
          new CairnException(ErrorCode.NOT_FOUND, "no table " + ref));
      head.checkNotFrozen(System.currentTimeMillis());
      return head;
    }
    long wanted = ref.version().getAsLong();
    VerifiedHead found = null;
    for (VerifiedHead head : meta.versions(ref.schema(), ref.table())) {
      if (head.version() == wanted) {
        if (found != null && !found.id().equals(head.id())) {
          throw new CairnException(ErrorCode.FORK, "version " + wanted + " of "
              + ref.schema() + "." + ref.table() + " has two different signed heads");
        }
        found = head;
      }
    }
    if (found == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no version " + wanted + " of table "
          + ref.schema() + "." + ref.table());
    }
    return found;
  }
}
