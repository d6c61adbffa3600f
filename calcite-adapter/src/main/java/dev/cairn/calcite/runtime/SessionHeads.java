package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.Fork;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.MetaClient.TableName;
import dev.cairn.client.net.VerifiedHead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table heads one session's queries start from, as the metadata services offered them:
 * fetched for just the tables a query names (all of them in one round trip when they are
 * known in advance), or as the full listing when a query lists the catalog, and kept for
 * {@code heads.max-age} so a burst of queries pays one metadata round trip.
 *
 * <p>Keeping a head that long means a query may read a version up to that age old: the bound
 * the setting documents. A kept head is fetched again early when it can no longer be right:
 * when the reader's {@link HeadTracker} has seen a newer version since (another session of
 * this runtime read it), or when its freshness promise has lapsed (the writer may have
 * renewed it). Every trust check ({@link CatalogSnapshot}) runs on each query's heads whether
 * they were kept or fetched; this class only saves the round trip.
 */
final class SessionHeads {
  /** What the services offered for one table at {@code atNanos}: a head, a fork, or neither. */
  record Offer(VerifiedHead head, Fork fork, long atNanos) { }

  private final MetaClient meta;
  private final HeadTracker tracker;
  private final long maxAgeNanos;
  private final SessionCounters counters;
  private final Map<TableName, Offer> offers = new HashMap<>();
  private MetaClient.TableListing listing;
  private long listingAtNanos;

  SessionHeads(MetaClient meta, HeadTracker tracker, Duration maxAge, SessionCounters counters) {
    this.meta = requireNonNull(meta, "meta");
    this.tracker = requireNonNull(tracker, "tracker");
    this.maxAgeNanos = maxAge.toNanos();
    this.counters = requireNonNull(counters, "counters");
  }

  /**
   * Returns what the services offer for each of {@code names}: kept ones still young, the rest
   * fetched now, all in one request.
   */
  synchronized Map<TableName, Offer> offers(Collection<TableName> names) {
    long now = System.nanoTime();
    Map<TableName, Offer> out = new HashMap<>();
    List<TableName> missing = new ArrayList<>();
    for (TableName name : names) {
      Offer kept = offers.get(name);
      if (usable(kept, now)) {
        out.put(name, kept);
      } else if (!missing.contains(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      counters.headRequests.incrementAndGet();
      MetaClient.TableListing found = meta.heads(missing);
      long at = System.nanoTime();
      counters.headRequestNanos.addAndGet(at - now);
      for (TableName name : missing) {
        offers.put(name, new Offer(null, null, at)); // no service knows it unless found below
      }
      remember(found, at);
      missing.forEach(name -> out.put(name, offers.get(name)));
    }
    return out;
  }

  /** Returns every table's head or fork, the listing kept or fetched now. */
  synchronized MetaClient.TableListing listing() {
    long now = System.nanoTime();
    if (listing == null || maxAgeNanos == 0 || now - listingAtNanos > maxAgeNanos) {
      counters.headRequests.incrementAndGet();
      listing = meta.tables();
      listingAtNanos = System.nanoTime();
      counters.headRequestNanos.addAndGet(listingAtNanos - now);
      remember(listing, listingAtNanos);
    }
    return listing;
  }

  private void remember(MetaClient.TableListing found, long at) {
    counters.headsFetched.addAndGet(found.heads().size() + found.forks().size());
    for (VerifiedHead head : found.heads()) {
      offers.put(new TableName(head.schema(), head.table()), new Offer(head, null, at));
    }
    for (Fork fork : found.forks()) {
      offers.put(new TableName(fork.schema(), fork.table()), new Offer(null, fork, at));
    }
  }

  private boolean usable(Offer offer, long nowNanos) {
    if (offer == null || maxAgeNanos == 0 || nowNanos - offer.atNanos() > maxAgeNanos) {
      return false;
    }
    VerifiedHead head = offer.head();
    return head == null || (tracker.newerThan(head).isEmpty()
        && System.currentTimeMillis() < head.expiresAtMillis());
  }
}
