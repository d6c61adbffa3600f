package dev.cairn.server.social;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.Locale;

/**
 * Whom a donor serves blobs to (docs/operations.md, "Join the network"): {@code any} reader,
 * only {@code members} (readers that prove a node key the metadata service knows in good
 * standing), or only {@code contributors:R}, members whose credit (plus the starter
 * allowance) is at least R times what they have read. Repair and audit traffic between nodes
 * in good standing is never refused by it.
 *
 * @param kind which readers are served
 * @param ratio for {@link Kind#CONTRIBUTORS}, the least credit per byte read; else 0
 */
public record ReaderPolicy(Kind kind, double ratio) {
  /** The ratio {@code contributors} means when written without one. */
  public static final double RATIO_DEFAULT = 1.0;
  /** The largest ratio accepted. */
  public static final double RATIO_MAX = 1000.0;

  /** Which readers are served. */
  public enum Kind { ANY, MEMBERS, CONTRIBUTORS }

  /** Checks the ratio. */
  public ReaderPolicy {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if (kind == Kind.CONTRIBUTORS ? !(ratio >= 0 && ratio <= RATIO_MAX) : ratio != 0) {
      throw new IllegalArgumentException("a ratio goes only with contributors, 0 to "
          + RATIO_MAX);
    }
  }

  /** Today's behaviour: everyone is served. */
  public static ReaderPolicy any() {
    return new ReaderPolicy(Kind.ANY, 0);
  }

  /**
   * Parses {@code any}, {@code members}, {@code contributors} or {@code contributors:R} (R a
   * decimal from 0 to {@link #RATIO_MAX}); BAD_CONFIG naming what is accepted otherwise.
   */
  public static ReaderPolicy parse(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("any")) {
      return any();
    }
    if (trimmed.equals("members")) {
      return new ReaderPolicy(Kind.MEMBERS, 0);
    }
    if (trimmed.equals("contributors")) {
      return new ReaderPolicy(Kind.CONTRIBUTORS, RATIO_DEFAULT);
    }
    if (trimmed.startsWith("contributors:")) {
      try {
        return new ReaderPolicy(Kind.CONTRIBUTORS,
            Double.parseDouble(trimmed.substring("contributors:".length())));
      } catch (IllegalArgumentException e) {
        // falls through to the one message below
      }
    }
    throw new CairnException(ErrorCode.BAD_CONFIG, "readers '" + text + "' is not one of "
        + "any, members, contributors or contributors:RATIO (RATIO from 0 to " + RATIO_MAX
        + ", e.g. contributors:0.5)");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ANY -> "any";
      case MEMBERS -> "members";
      case CONTRIBUTORS -> "contributors:" + ratio;
    };
  }
}
