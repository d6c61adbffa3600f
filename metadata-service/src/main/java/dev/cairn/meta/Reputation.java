package dev.cairn.meta;

import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;

/**
 * One node's audit reputation, after Storj's (docs/decisions.md, "Audit reputation"): two
 * decaying counts, {@code alpha} for passed audits and {@code beta} for failed or unanswered
 * ones, each audit first multiplying both by {@link #LAMBDA} (forgetting) and then adding
 * {@link #WEIGHT} to one of them; the score is {@code alpha / (alpha + beta)}.
 *
 * <p>A node starts at {@code alpha = WEIGHT / (1 - LAMBDA)}, {@code beta = 0}: as if it had
 * already passed an endless run of audits, so {@code alpha + beta} stays at 20 for ever and
 * the score is {@code 1 - beta / 20}. From a clean record, 6 failures in a row take it below
 * {@link #DISQUALIFY_BELOW} (0.95^6 = 0.735); a disqualified node is reinstated once passed
 * audits lift it to {@link #REINSTATE_AT} (6 passes right after the 6th failure). Not thread
 * safe: {@link NodeRegistry} guards it.
 */
final class Reputation {
  /** Forgetting factor per audit: an audit's weight halves after about 13.5 later audits. */
  static final double LAMBDA = 0.95;
  /** What one audit adds to alpha (passed) or beta (failed or unanswered). */
  static final double WEIGHT = 1.0;
  /** Starting alpha: the steady state of an endless run of passes. */
  static final double ALPHA_START = WEIGHT / (1 - LAMBDA);
  /** A node whose score falls below this is disqualified. */
  static final double DISQUALIFY_BELOW = 0.75;
  /** A disqualified node whose score climbs back to this is reinstated (hysteresis). */
  static final double REINSTATE_AT = 0.80;
  /** Passed audits before a node leaves VETTING and gets its full share of placement. */
  static final long VETTING_AUDITS = 20;

  /** What one audit found. */
  enum Outcome { PASSED, FAILED, UNANSWERED }

  /** What an audit changed in a node's standing, for logs and counters. */
  enum Change { NONE, DISQUALIFIED, REINSTATED }

  private double alpha = ALPHA_START;
  private double beta;
  private long passed;
  private long failed;
  private long unanswered;
  private boolean disqualified;

  /** Returns a fresh record: score 1.0, vetting. */
  static Reputation fresh() {
    return new Reputation();
  }

  /** Returns a record restored from saved numbers (see {@link ReputationFile}). */
  static Reputation restored(double alpha, double beta, long passed, long failed,
      long unanswered, boolean disqualified) {
    Reputation r = new Reputation();
    r.alpha = alpha;
    r.beta = beta;
    r.passed = passed;
    r.failed = failed;
    r.unanswered = unanswered;
    r.disqualified = disqualified;
    return r;
  }

  /** Counts one audit and returns whether it disqualified or reinstated the node. */
  Change record(Outcome outcome) {
    boolean pass = outcome == Outcome.PASSED;
    alpha = LAMBDA * alpha + (pass ? WEIGHT : 0);
    beta = LAMBDA * beta + (pass ? 0 : WEIGHT);
    switch (outcome) {
      case PASSED -> passed++;
      case FAILED -> failed++;
      case UNANSWERED -> unanswered++;
      default -> throw new IllegalStateException();
    }
    double score = score();
    if (!disqualified && score < DISQUALIFY_BELOW) {
      disqualified = true;
      return Change.DISQUALIFIED;
    }
    if (disqualified && score >= REINSTATE_AT) {
      disqualified = false;
      return Change.REINSTATED;
    }
    return Change.NONE;
  }

  /** Returns {@code alpha / (alpha + beta)}, 0.0 to 1.0. */
  double score() {
    return alpha / (alpha + beta);
  }

  /** Returns the score in millionths, as NodeInfo carries it. */
  int scoreMillionths() {
    return (int) Math.round(score() * NodeInfo.SCORE_PERFECT);
  }

  NodeStanding standing() {
    if (disqualified) {
      return NodeStanding.DISQUALIFIED;
    }
    return passed < VETTING_AUDITS ? NodeStanding.VETTING : NodeStanding.ACTIVE;
  }

  boolean disqualified() {
    return disqualified;
  }

  /** Vetted and not disqualified: its reports count as audit hints. */
  boolean inGoodStanding() {
    return standing() == NodeStanding.ACTIVE;
  }

  double alpha() {
    return alpha;
  }

  double beta() {
    return beta;
  }

  long passed() {
    return passed;
  }

  long failed() {
    return failed;
  }

  long unanswered() {
    return unanswered;
  }
}
