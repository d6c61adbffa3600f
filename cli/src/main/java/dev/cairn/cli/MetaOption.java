package dev.cairn.cli;

import dev.cairn.wire.MetaDefault;
import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --meta} option of every command that talks to metadata services, so that each
 * has the same spelling, help and default ({@link MetaDefault#ADDRESS}, the service {@code
 * cairn meta} runs on this machine by default).
 */
final class MetaOption {
  @Option(names = "--meta", paramLabel = "HOST:PORT[,HOST:PORT...]",
      defaultValue = MetaDefault.ADDRESS, converter = Converters.Addresses.class,
      description = "Metadata services (default: ${DEFAULT-VALUE}, a 'cairn meta' on this "
          + "machine).")
  List<InetSocketAddress> addresses;

  /** Returns the services named, or the default one. */
  List<InetSocketAddress> addresses() {
    return addresses;
  }
}
