package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.CairnCatalog;
import dev.cairn.calcite.CatalogTable;
import dev.cairn.calcite.sql.TableUse;
import dev.cairn.client.net.Fork;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.MetaMessages;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The verified heads one query reads, pinned for the whole query: the {@link CairnCatalog} the
 * translator plans against and the manifests the runtime then loads. Pinning the versions here
 * is what makes a query read one consistent version of each table while writers publish.
 *
 * <p>Heads are resolved as the translator names tables: only those are read and verified
 * ({@link SessionHeads}, which may serve heads kept for {@code heads.max-age}); listing the
 * catalog (schema and table names, {@link #heads}, the information schema) reads every head.
 * Once this snapshot resolved a table, it keeps that head for the rest of the query.
 *
 * <p>Never backwards: when the services offer an older head than the newest this reader
 * already saw ({@link HeadTracker}), the snapshot takes the newer signed head the reader holds
 * (verified when it was seen) as the table's head, so a service that restarted behind, or was
 * rolled back, can neither fail the query nor make it go back. That head is subject to every
 * other check: its writer's freshness promise (FROZEN once it lapsed, {@link #checkReadable})
 * and forks. Naming the old version on purpose ({@code orders$v3}) reads it from history ({@link
 * MetaClient#versions}).
 *
 * <p>Forks: a table whose newest version the services offer with two different heads, or
 * with another head than this reader saw for that version, stays listed (so the name
 * resolves) but is marked forked; reading that version fails with FORK ({@link #checkReadable},
 * {@link #manifest}), and so does reading a forked version from history. Never a silent
 * switch.
 */
public final class CatalogSnapshot implements CairnCatalog {
  private record Name(String schema, String table) { }

  /** What {@link Manifest} accepts as a table name. */
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

  /** A version of a table that must not be read, and the error to report. */
  private record Forked(long version, CairnException error) { }

  private final MetaClient meta;
  private final SessionHeads source;
  private final Map<String, Map<String, VerifiedHead>> heads = new TreeMap<>();
  private final Set<Name> resolved = new HashSet<>();
  private boolean listed;
  private final Map<Name, Forked> forked = new HashMap<>();
  private final HeadTracker tracker;
  private final SessionCounters counters;
  private final Map<Name, Long> headsLookedUp = new LinkedHashMap<>();
  private final Map<Name, List<VerifiedHead>> history = new HashMap<>();

  CatalogSnapshot(MetaClient meta, SessionHeads source, HeadTracker tracker,
      SessionCounters counters) {
    this.meta = requireNonNull(meta, "meta");
    this.source = requireNonNull(source, "source");
    this.tracker = requireNonNull(tracker, "tracker");
    this.counters = requireNonNull(counters, "counters");
  }

  /** Resolves every one of {@code names} not resolved yet, fetching what is needed at once. */
  private void resolve(Collection<Name> names) {
    List<MetaClient.TableName> wanted = new ArrayList<>();
    for (Name name : names) {
      if (resolved.contains(name)) {
        continue;
      }
      if (publishable(name)) {
        wanted.add(new MetaClient.TableName(name.schema(), name.table()));
      } else {
        resolved.add(name); // such as orders$v3: no service can hold it, so none is asked
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    Map<MetaClient.TableName, SessionHeads.Offer> offers = source.offers(wanted);
    List<VerifiedHead> consistent = new ArrayList<>();
    for (MetaClient.TableName name : wanted) {
      accept(new Name(name.schema(), name.table()), offers.get(name), consistent);
    }
    tracker.observeAll(consistent);
  }

  /** Resolves every table there is (the listing), keeping the heads resolved before. */
  private void listAll() {
    if (listed) {
      return;
    }
    MetaClient.TableListing listing = source.listing();
    List<VerifiedHead> consistent = new ArrayList<>();
    for (VerifiedHead head : listing.heads()) {
      accept(name(head), new SessionHeads.Offer(head, null, 0), consistent);
    }
    for (Fork fork : listing.forks()) {
      accept(new Name(fork.schema(), fork.table()), new SessionHeads.Offer(null, fork, 0),
          consistent);
    }
    tracker.observeAll(consistent);
    listed = true;
  }

  /**
   * Takes what the services offered for {@code name} into this snapshot (once), with the
   * trust checks: a fork (offered, or against what this reader saw) marks it forked; a head
   * older than the newest seen is replaced by that newest signed head. The offered head, when
   * consistent, goes to {@code consistent} (its id is still remembered for its version).
   */
  private void accept(Name name, SessionHeads.Offer offer, List<VerifiedHead> consistent) {
    if (!resolved.add(name) || offer == null) {
      return;
    }
    if (offer.fork() != null) {
      VerifiedHead any = offer.fork().branches().get(0).head();
      heads.computeIfAbsent(name.schema(), s -> new TreeMap<>()).put(name.table(), any);
      forked.put(name, new Forked(offer.fork().version(), offer.fork().error()));
      return;
    }
    VerifiedHead head = offer.head();
    if (head == null) {
      return;
    }
    Map<String, VerifiedHead> tables = heads.computeIfAbsent(name.schema(),
        s -> new TreeMap<>());
    tables.put(name.table(), head);
    Optional<CairnException> fork = tracker.fork(head, "there (offered now by the metadata"
        + " services)");
    if (fork.isPresent()) {
      forked.put(name, new Forked(head.version(), fork.get()));
      return;
    }
    consistent.add(head);
    Optional<VerifiedHead> held = tracker.newerThan(head);
    if (held.isPresent()) {
      tables.put(name.table(), held.get());
      counters.heldHeads.incrementAndGet();
      tracker.reportBehind(head, held.get());
    }
  }

  /** Returns true if a writer could have published {@code name} (see {@link Manifest}). */
  private static boolean publishable(Name name) {
    return MetaMessages.SCHEMA_NAME.matcher(name.schema()).matches()
        && TABLE_NAME.matcher(name.table()).matches();
  }

  /** Returns the name of a head-use key {@code "schema.table"} (neither name has a dot). */
  private static Name parseKey(String key) {
    int dot = key.indexOf('.');
    return new Name(key.substring(0, dot), key.substring(dot + 1));
  }

  /** Throws the FORK error if {@code version} of {@code name} is forked. */
  private void checkNotForked(Name name, long version) {
    Forked fork = forked.get(name);
    if (fork != null && fork.version() == version) {
      throw fork.error();
    }
  }

  private static Name name(VerifiedHead head) {
    return new Name(head.schema(), head.table());
  }

  @Override
  public synchronized List<String> schemaNames() {
    listAll();
    return new ArrayList<>(heads.keySet());
  }

  /** Resolves the heads of the named tables in one request (those not resolved yet). */
  @Override
  public synchronized void prefetch(List<List<String>> names) {
    resolve(names.stream().map(n -> new Name(n.get(0), n.get(1))).toList());
  }

  /** Without a listing, any valid schema name may exist: its tables resolve one by one. */
  @Override
  public synchronized boolean mayHaveSchema(String schema) {
    return listed ? heads.containsKey(schema)
        : MetaMessages.SCHEMA_NAME.matcher(schema).matches();
  }

  @Override
  public synchronized List<String> tableNames(String schema) {
    listAll();
    Map<String, VerifiedHead> tables = heads.get(schema);
    return tables == null ? List.of() : new ArrayList<>(tables.keySet());
  }

  @Override
  public synchronized Optional<CatalogTable> table(String schema, String table) {
    Optional<VerifiedHead> head = head(schema, table);
    head.ifPresent(h -> headsLookedUp.put(new Name(schema, table), h.version()));
    return head.map(CatalogSnapshot::catalogTable);
  }

  @Override
  public synchronized Optional<CatalogTable> table(String schema, String table, long version) {
    return version(schema, table, version).map(CatalogSnapshot::catalogTable);
  }

  /** Returns the head of {@code schema.table} in this snapshot. */
  public synchronized Optional<VerifiedHead> head(String schema, String table) {
    resolve(List.of(new Name(schema, table)));
    Map<String, VerifiedHead> tables = heads.get(schema);
    return Optional.ofNullable(tables == null ? null : tables.get(table));
  }

  /** Returns every table's head (reading them all: a listing). */
  public synchronized List<VerifiedHead> heads() {
    listAll();
    List<VerifiedHead> all = new ArrayList<>();
    heads.values().forEach(t -> all.addAll(t.values()));
    return all;
  }

  /**
   * Returns every table at its head, for metadata listings: unlike {@link #table(String,
   * String)}, looking at them here does not count as a query using them.
   */
  public synchronized List<CatalogTable> tables() {
    return heads().stream().map(CatalogSnapshot::catalogTable).toList();
  }

  /** Returns version {@code version} of a table: the head, or from history. */
  public synchronized Optional<VerifiedHead> version(String schema, String table, long version) {
    Optional<VerifiedHead> head = head(schema, table);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    if (head.get().version() == version) {
      return head;
    }
    List<VerifiedHead> matching = versions(schema, table).stream()
        .filter(v -> v.version() == version).toList();
    if (matching.size() > 1) {
      List<Fork.Branch> branches = matching.stream()
          .map(v -> new Fork.Branch(v, "at a metadata service")).toList();
      throw new Fork(schema, table, version, branches).error();
    }
    for (VerifiedHead v : matching) {
      tracker.fork(v, "there (offered now by the metadata services)").ifPresent(e -> {
        throw e;
      });
    }
    return matching.stream().findFirst();
  }

  /** Returns every version of a table the metadata services know (asked once per snapshot). */
  public synchronized List<VerifiedHead> versions(String schema, String table) {
    Name name = new Name(schema, table);
    List<VerifiedHead> known = history.get(name);
    if (known == null) {
      VerifiedHead head = head(schema, table).orElse(null);
      known = new ArrayList<>();
      for (VerifiedHead v : meta.versions(schema, table)) {
        if (head == null || v.signed().manifest().writerKey().equals(
            head.signed().manifest().writerKey())) {
          known.add(v);
        }
      }
      if (head != null && known.stream().noneMatch(v -> v.id().equals(head.id()))) {
        known.add(head); // a held head the services are behind on is history all the same
      }
      history.put(name, known);
    }
    return known;
  }

  /** Returns the manifest of the version a translated query reads. */
  public Manifest manifest(TableUse use) {
    synchronized (this) {
      checkNotForked(new Name(use.schema(), use.table()), use.version());
    }
    return version(use.schema(), use.table(), use.version()).orElseThrow(() ->
        new CairnException(ErrorCode.NOT_FOUND, "version " + use.version() + " of "
            + use.schema() + "." + use.table() + " is not in this snapshot")).signed().manifest();
  }

  /** Returns the head versions the translator resolved (for re-using a translation). */
  public synchronized Map<String, Long> headsLookedUp() {
    Map<String, Long> out = new LinkedHashMap<>();
    headsLookedUp.forEach((n, v) -> out.put(n.schema() + "." + n.table(), v));
    return out;
  }

  /** Records lookups a re-used translation made against an earlier, identical snapshot. */
  public synchronized void recordLookups(Map<String, Long> used) {
    for (Map.Entry<String, Long> e : used.entrySet()) {
      Name name = parseKey(e.getKey());
      if (head(name.schema(), name.table()).isPresent()) {
        headsLookedUp.put(name, e.getValue());
      }
    }
  }

  /**
   * Returns true if this snapshot's heads of {@code used} are exactly those versions; resolves
   * them all in one request.
   */
  public synchronized boolean sameHeads(Map<String, Long> used) {
    resolve(used.keySet().stream().map(CatalogSnapshot::parseKey).toList());
    for (Map.Entry<String, Long> e : used.entrySet()) {
      Name name = parseKey(e.getKey());
      Optional<VerifiedHead> head = head(name.schema(), name.table());
      if (head.isEmpty() || head.get().version() != e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Throws FORK if the query reads a forked version of a table; else FROZEN if it reads, as a
   * table's current version, a head that has outlived its writer's freshness promise
   * (docs/protocol.md 4.7): the metadata services may be withholding newer versions, and
   * answering from the old one would hide that. Naming a version on purpose ({@code trips$v3})
   * reads history, which no promise covers, and is allowed.
   */
  public synchronized void checkReadable(List<TableUse> uses, long nowMillis) {
    List<TableUse> tables = uses.stream().filter(use -> !use.system()).toList();
    for (TableUse use : tables) {
      checkNotForked(new Name(use.schema(), use.table()), use.version());
    }
    for (TableUse use : tables) {
      Long lookedUp = headsLookedUp.get(new Name(use.schema(), use.table()));
      if (lookedUp != null && lookedUp == use.version()) {
        head(use.schema(), use.table()).filter(head -> head.version() == use.version())
            .ifPresent(head -> head.checkNotFrozen(nowMillis));
      }
    }
  }

  private static CatalogTable catalogTable(VerifiedHead head) {
    Manifest m = head.signed().manifest();
    long rows = 0;
    for (BatchRef b : m.batches()) {
      rows += b.rowCount();
    }
    return new CatalogTable(head.schema(), head.table(), head.version(), m.schema(), rows);
  }
}
