package dev.cairn.server.status;

import dev.cairn.server.StorageServer;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.status.StatusEndpoint;

/**
 * A donor's metrics endpoint and status page on the operator's {@code metrics} address: the
 * shared {@link StatusEndpoint} with the donor's meters and page. Started after the donor
 * serves and closed before it stops.
 */
public final class DonorStatus {
  private DonorStatus() {}

  /** Serves {@code server}'s metrics and page on {@code address}; IO_ERROR if it cannot bind. */
  public static StatusEndpoint start(StorageServer server, HostPort address) {
    return StatusEndpoint.start(server.rpcServer(), "dev.cairn.server", address,
        metrics -> DonorMeters.bind(server, metrics),
        (throughput, events) -> DonorPage.render(server, throughput, events));
  }
}
