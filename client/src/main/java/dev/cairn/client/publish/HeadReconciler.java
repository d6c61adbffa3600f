package dev.cairn.client.publish;

import dev.cairn.client.net.Fork;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.HostPort;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Before a writer publishes, makes the metadata services agree with the writer's own last
 * published head (its head record), and chooses the parent of the new version.
 *
 * <p>The writer is the authority over its tables, so its record is the truth it checks the
 * services against (TUF's rule: never accept, and never build on, anything older than what
 * you know): a service that holds a <em>different</em> head for a version the writer
 * published has a fork, and the writer refuses to publish ({@code FORK}) rather than pick a
 * side; a service that is behind (lower version, or no table: restored from an old backup,
 * or just stale) first gets the writer's missing versions, oldest first (its own head and the
 * recent versions it kept from the record, the ones in between from other services, each
 * verified and chained by parent id), so the new version then follows the writer's own head on
 * every service, also when the only service that took those versions is down (docs/protocol.md
 * 9.5.1). The service checks each one as an ordinary publish: signature, name, order, chain.
 * Without a record, the newest head the services agree on is the parent, as before.
 */
final class HeadReconciler {
  private static final Logger LOG = Logger.getLogger(HeadReconciler.class.getName());
  private static final String IN_RECORD = "in the writer's head record";

  private final MetaClient meta;
  private final String schema;
  private final String table;

  HeadReconciler(MetaClient meta, String schema, String table) {
    this.meta = meta;
    this.schema = schema;
    this.table = table;
  }

  /**
   * Returns the head the new version must follow (empty: the table is new), after checking
   * every service against {@code own} and bringing those behind it up to it, from {@code kept}
   * (the writer's recent signed versions, any order) and what other services hold.
   */
  Optional<VerifiedHead> parent(Optional<VerifiedHead> own, List<VerifiedHead> kept) {
    if (own.isEmpty()) {
      return meta.head(schema, table);
    }
    VerifiedHead mine = own.get();
    Map<InetSocketAddress, List<VerifiedHead>> newest = meta.headsByService(schema, table, 0);
    Map<InetSocketAddress, List<VerifiedHead>> atMine = null;
    List<InetSocketAddress> behind = new ArrayList<>();
    for (Map.Entry<InetSocketAddress, List<VerifiedHead>> service : newest.entrySet()) {
      long top = top(service.getValue());
      if (top < mine.version()) {
        behind.add(service.getKey());
        continue;
      }
      List<VerifiedHead> there = service.getValue();
      if (top > mine.version()) {
        atMine = atMine != null ? atMine : meta.headsByService(schema, table, mine.version());
        there = atMine.getOrDefault(service.getKey(), List.of());
      }
      checkHolds(service.getKey(), there, mine);
    }
    for (InetSocketAddress service : behind) {
      restore(service, newest.get(service), mine, kept);
    }
    return Optional.of(newestAgreeing(mine));
  }

  /** Throws FORK unless {@code there} (a service's heads at the record's version) has it. */
  private void checkHolds(InetSocketAddress service, List<VerifiedHead> there,
      VerifiedHead mine) {
    if (there.isEmpty()) {
      return; // the service no longer lists that version; nothing contradicts the record
    }
    for (VerifiedHead head : there) {
      if (head.id().equals(mine.id())) {
        return; // also when the service holds a fork of it: the new version resolves that
      }
    }
    throw new Fork(schema, table, mine.version(), List.of(new Fork.Branch(mine, IN_RECORD),
        new Fork.Branch(there.get(0), "at " + HostPort.format(service)))).error();
  }

  /** Pushes the versions {@code service} lacks, oldest first, up to the writer's own head. */
  private void restore(InetSocketAddress service, List<VerifiedHead> held, VerifiedHead mine,
      List<VerifiedHead> kept) {
    long top = top(held);
    Map<ContentId, VerifiedHead> known = byId(kept);
    List<VerifiedHead> missing = chainAbove(mine, top, known);
    if (missing.get(0).version() > top + 1) {
      // The record does not reach down to the service's head: ask the other services.
      known.putAll(byId(meta.versions(schema, table)));
      missing = chainAbove(mine, top, known);
    }
    ContentId below = missing.get(0).signed().manifest().parentId();
    boolean joins = below == null ? top == 0 : held.stream().anyMatch(h -> h.id().equals(below));
    if (!joins) {
      VerifiedHead parent = below == null ? null : known.get(below);
      if (parent != null && parent.version() <= top) {
        // The writer's chain passes at or below the service's head without meeting it.
        throw new Fork(schema, table, top, List.of(
            new Fork.Branch(held.get(0), "at " + HostPort.format(service)),
            new Fork.Branch(parent.version() == top ? parent : mine, IN_RECORD))).error();
      }
      LOG.warning("metadata service " + HostPort.format(service) + " is at version " + top
          + " of " + schema + "." + table + ", and the writer's versions between it and "
          + mine.version() + " are not available verified on any service; not restoring it");
      return;
    }
    for (VerifiedHead version : missing) {
      try {
        meta.publishTo(service, version.signed());
        LOG.info("restored " + schema + "." + table + " version " + version.version() + " ("
            + version.id().toShortHex() + ") on metadata service " + HostPort.format(service)
            + ", which was behind the writer's head record");
      } catch (CairnException e) {
        LOG.warning("cannot restore " + schema + "." + table + " version " + version.version()
            + " on metadata service " + HostPort.format(service) + ": " + e.getMessage());
        return;
      }
    }
  }

  private static Map<ContentId, VerifiedHead> byId(List<VerifiedHead> heads) {
    Map<ContentId, VerifiedHead> byId = new HashMap<>();
    heads.forEach(h -> byId.put(h.id(), h));
    return byId;
  }

  /**
   * Returns the writer's chain from its own head down to the first version above {@code top},
   * oldest first, as far as {@code known} verified versions link by parent id.
   */
  private static List<VerifiedHead> chainAbove(VerifiedHead mine, long top,
      Map<ContentId, VerifiedHead> known) {
    List<VerifiedHead> chain = new ArrayList<>();
    VerifiedHead at = mine;
    // Bounded: each step goes to a strictly lower version, and stops at or below top.
    while (at != null && at.version() > top) {
      chain.add(at);
      ContentId parent = at.signed().manifest().parentId();
      VerifiedHead next = parent == null ? null : known.get(parent);
      at = next != null && next.version() < at.version() ? next : null;
    }
    Collections.reverse(chain);
    return chain;
  }

  /**
   * Returns the head to publish on: the newest version the services hold if it is above the
   * record (the writer published from elsewhere, and every service agrees with the record
   * below it), else the record itself.
   */
  private VerifiedHead newestAgreeing(VerifiedHead mine) {
    Map<ContentId, VerifiedHead> atTop = new LinkedHashMap<>();
    Map<ContentId, String> where = new HashMap<>();
    long top = mine.version();
    for (Map.Entry<InetSocketAddress, List<VerifiedHead>> service
        : meta.headsByService(schema, table, 0).entrySet()) {
      for (VerifiedHead head : service.getValue()) {
        if (head.version() > top) {
          top = head.version();
          atTop.clear();
        }
        if (head.version() == top && head.version() > mine.version()) {
          atTop.putIfAbsent(head.id(), head);
          where.putIfAbsent(head.id(), "at " + HostPort.format(service.getKey()));
        }
      }
    }
    if (atTop.isEmpty()) {
      return mine;
    }
    if (atTop.size() > 1) {
      List<Fork.Branch> branches = new ArrayList<>();
      atTop.forEach((id, head) -> branches.add(new Fork.Branch(head, where.get(id))));
      throw new Fork(schema, table, top, branches).error();
    }
    return atTop.values().iterator().next();
  }

  private static long top(List<VerifiedHead> heads) {
    long top = 0;
    for (VerifiedHead head : heads) {
      top = Math.max(top, head.version());
    }
    return top;
  }
}
