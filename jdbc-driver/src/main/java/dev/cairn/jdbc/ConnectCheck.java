package dev.cairn.jdbc;

import dev.cairn.calcite.SystemTables;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.client.net.Fork;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a new connection checks before it is handed out, so a tool's "Test Connection" tells
 * the truth: at least one metadata service answers (one table listing), and the URL's default
 * schema is one those services know (or a system schema).
 */
final class ConnectCheck {
  private ConnectCheck() {}

  /**
   * Returns a connection over {@code session} once {@link #check} passes; closes the session
   * when it does not, so a refused connection holds nothing.
   */
  static CairnConnection checked(String url, CairnSession session, String defaultSchema)
      throws SQLException {
    try {
      check(session, defaultSchema);
    } catch (SQLException | RuntimeException e) {
      session.close();
      throw e;
    }
    return new CairnConnection(url, session);
  }

  /** Throws IO_ERROR (08001) naming the addresses, or BAD_CONFIG naming the schema. */
  static void check(CairnSession session, String defaultSchema) throws SQLException {
    MetaClient meta = session.metaClient();
    MetaClient.TableListing listing;
    try {
      listing = meta.tables();
    } catch (CairnException e) {
      if (e.code() == ErrorCode.IO_ERROR || e.code() == ErrorCode.BUSY) {
        throw new SQLException("IO_ERROR: no metadata service answered at "
            + meta.services().stream().map(HostPort::format).collect(Collectors.joining(", "))
            + " (" + e.getMessage() + ")", "08001", e);
      }
      throw Errors.of(e);
    }
    if (defaultSchema == null) {
      return;
    }
    Set<String> schemas = new TreeSet<>();
    listing.heads().stream().map(VerifiedHead::schema).forEach(schemas::add);
    for (Fork fork : listing.forks()) {
      schemas.add(fork.schema());
    }
    List<String> system = List.of(SystemTables.SCHEMA, SystemTables.INFORMATION_SCHEMA);
    if (!schemas.contains(defaultSchema) && !system.contains(defaultSchema)) {
      throw new SQLException("BAD_CONFIG: unknown default schema '" + defaultSchema
          + "' in the URL: the metadata services know " + (schemas.isEmpty() ? "no tables yet"
          : String.join(", ", schemas)) + " (and the system schemas "
          + String.join(", ", system) + "); schema names are case-sensitive", "08001");
    }
  }
}
