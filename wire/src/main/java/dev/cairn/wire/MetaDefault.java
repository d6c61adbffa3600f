package dev.cairn.wire;

/**
 * The one default of every {@code --meta} (and of the donor's {@code meta} key and of {@code
 * cairn sql}'s URL): the metadata service a plain {@code cairn meta} runs on this machine.
 */
public final class MetaDefault {
  /** {@code host:port} of the default metadata service: loopback, {@code cairn meta}'s port. */
  public static final String ADDRESS = "127.0.0.1:7460";

  private MetaDefault() {}
}
