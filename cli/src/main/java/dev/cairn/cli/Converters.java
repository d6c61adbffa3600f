package dev.cairn.cli;

import dev.cairn.wire.Units;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** {@code HOST:PORT} → an unresolved socket address. */
  static final class HostPort implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      return parseHostPort(value);
    }
  }

  /** {@code HOST:PORT[,HOST:PORT...]} → addresses. */
  static final class HostPorts implements ITypeConverter<List<InetSocketAddress>> {
    @Override
    public List<InetSocketAddress> convert(String value) {
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (String part : value.split(",")) {
        addresses.add(parseHostPort(part.trim()));
      }
      return addresses;
    }
  }

  static InetSocketAddress parseHostPort(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new TypeConversionException("'" + value + "' is not HOST:PORT");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(host, port);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' has no valid port (0-65535)");
    }
  }
}
