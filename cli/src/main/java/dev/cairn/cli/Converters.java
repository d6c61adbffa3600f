package dev.cairn.cli;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import dev.cairn.wire.manifest.Manifest;
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

  /** {@code 1h} → a freshness promise, checked against its bounds (1s to 365d). */
  static final class RefreshPeriod implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration period = new Time().convert(value);
      long millis = period.toMillis();
      if (millis < Manifest.REFRESH_EVERY_MILLIS_MIN
          || millis > Manifest.REFRESH_EVERY_MILLIS_MAX) {
        throw new TypeConversionException("a refresh period must be 1s to 365d, not '" + value
            + "'");
      }
      return period;
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
