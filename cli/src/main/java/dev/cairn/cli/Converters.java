package dev.cairn.cli;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the units and addresses of the CLI contract. */
final class Converters {
  private Converters() {}

  /** {@code 10GiB} → bytes. */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Units.parseSize(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code 20MiB/s} → bytes per second. */
  static final class Rate implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Units.parseRate(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code 30s} → Duration. */
  static final class Time implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Units.parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code HOST:PORT[,HOST:PORT...]} → addresses to connect to. */
  static final class Addresses implements ITypeConverter<List<InetSocketAddress>> {
    @Override
    public List<InetSocketAddress> convert(String value) {
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (String part : value.split(",")) {
        addresses.add(resolve(() -> HostPort.parse(part.trim())));
      }
      return addresses;
    }
  }

  /** Resolves what {@code parser} reads; its BAD_FORMAT becomes picocli's usage error. */
  private static InetSocketAddress resolve(Supplier<HostPort> parser) {
    try {
      return parser.get().resolve();
    } catch (CairnException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
