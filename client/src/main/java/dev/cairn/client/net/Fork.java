package dev.cairn.client.net;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import java.util.List;

/**
 * Two or more different signed manifests for one version of one table: the writer's key signed
 * both, so each verifies, and no rule can say which is the real history. Cairn never picks one;
 * it names the fork ({@link ErrorCode#FORK}) until the writer publishes a successor of one.
 *
 * @param schema the publisher name
 * @param table the table name
 * @param version the version that has several heads
 * @param branches the different heads, each with where it was seen
 */
public record Fork(String schema, String table, long version, List<Branch> branches) {
  /** One of the heads of a forked version, and where it came from (for the message). */
  public record Branch(VerifiedHead head, String where) {
    public Branch {
      requireNonNull(head, "head");
      requireNonNull(where, "where");
    }

    public ContentId id() {
      return head.id();
    }
  }

  public Fork {
    requireNonNull(schema, "schema");
    requireNonNull(table, "table");
    branches = List.copyOf(branches);
    if (branches.size() < 2) {
      throw new IllegalArgumentException("a fork has at least two branches");
    }
  }

  /** Returns the named error a reader or writer reports for this fork. */
  public CairnException error() {
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < branches.size(); i++) {
      ids.append(i == 0 ? "" : i == branches.size() - 1 ? " and " : ", ")
          .append(branches.get(i).id().toShortHex()).append(".. ")
          .append(branches.get(i).where());
    }
    return error(schema, table, version, ids.toString());
  }

  /**
   * Returns the FORK error for {@code schema.table} version {@code version}, where {@code ids}
   * already lists the different short ids and where each was seen.
   */
  public static CairnException error(String schema, String table, long version, String ids) {
    return new CairnException(ErrorCode.FORK, schema + "." + table + " v" + version + " is "
        + ids + ": its writer signed two different versions " + version + "; Cairn will not"
        + " choose one. The writer resolves it by publishing a successor of the right one"
        + " (docs/operations.md, \"Forks\")");
  }

  /** Returns {@code id}'s short form followed by where it was seen, for {@link #error}. */
  public static String describe(ContentId id, String where) {
    return id.toShortHex() + ".. " + where;
  }
}
