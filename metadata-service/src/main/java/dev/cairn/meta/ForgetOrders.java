package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.message.MetaMessages.ForgetNode;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides who may make this service forget a node (docs/operations.md, "Forgetting a node").
 * Anyone may ask it to forget a node that is not live: such a record places nothing and
 * counts no copy, and a full registry drops it anyway. Forgetting a live node (which would
 * hide its copies from placement until its next full heartbeat) takes a FORCE order signed
 * with this service's own key, which only its operator holds; a signed order is accepted
 * once, and only while its timestamp is within {@link #CLOCK_SKEW_MAX} of this service's
 * clock, so a captured order cannot be replayed.
 */
final class ForgetOrders {
  /** How far an order's timestamp may be from this service's clock. */
  static final Duration CLOCK_SKEW_MAX = Duration.ofMinutes(5);

  private final PublicKey serviceKey;
  private final LongSupplier wallClockMillis;
  private long lastForcedMillis = Long.MIN_VALUE;

  ForgetOrders(PublicKey serviceKey) {
    this(serviceKey, System::currentTimeMillis);
  }

  ForgetOrders(PublicKey serviceKey, LongSupplier wallClockMillis) {
    this.serviceKey = requireNonNull(serviceKey, "serviceKey");
    this.wallClockMillis = requireNonNull(wallClockMillis, "wallClockMillis");
  }

  /**
   * Returns whether {@code order} may forget a live node: false for an unforced order; true
   * for a forced one signed by this service's key, fresh and newer than the last one accepted.
   * UNAUTHORIZED (naming what to do) for a forced order that is not signed or fresh,
   * STALE_VERSION for one not newer than the last accepted.
   */
  synchronized boolean authorizes(ForgetNode order) {
    if (!order.force()) {
      return false;
    }
    if (!serviceKey.verify(SignatureDomain.FORGET_NODE, order.signedMessage(),
        order.signature())) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "a forced FORGET_NODE must be signed "
          + "with this metadata service's own key (" + serviceKey.fingerprint() + ", the "
          + "node.key in its data directory)");
    }
    long skewMillis = Math.abs(wallClockMillis.getAsLong() - order.timestampMillis());
    if (skewMillis > CLOCK_SKEW_MAX.toMillis()) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "forced FORGET_NODE timestamp is "
          + skewMillis + " ms from this service's clock (at most " + CLOCK_SKEW_MAX.toMillis()
          + "): sign a fresh order, and check both clocks");
    }
    if (order.timestampMillis() <= lastForcedMillis) {
      throw new CairnException(ErrorCode.STALE_VERSION, "forced FORGET_NODE timestamp "
          + order.timestampMillis() + " is not newer than the last accepted (a replay?)");
    }
    lastForcedMillis = order.timestampMillis();
    return true;
  }
}
