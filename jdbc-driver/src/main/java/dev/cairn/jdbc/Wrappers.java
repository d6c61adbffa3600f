package dev.cairn.jdbc;

import java.sql.SQLException;

/** The one implementation of {@link java.sql.Wrapper} the driver's classes share. */
final class Wrappers {
  private Wrappers() {}

  /** Returns the first of {@code candidates} that is an {@code iface}, or throws. */
  static <T> T unwrap(Class<T> iface, Object... candidates) throws SQLException {
    for (Object candidate : candidates) {
      if (iface.isInstance(candidate)) {
        return iface.cast(candidate);
      }
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  /** Returns true if one of {@code candidates} is an {@code iface}. */
  static boolean isWrapperFor(Class<?> iface, Object... candidates) {
    for (Object candidate : candidates) {
      if (iface.isInstance(candidate)) {
        return true;
      }
    }
    return false;
  }
}
