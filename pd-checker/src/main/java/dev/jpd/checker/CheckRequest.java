package dev.jpd.checker;

import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One pass of the checker chain over one region. A patrol request only carries what the patrol
 * loop acts on (retry the region later; how many replicas it misses). A dry-run request also
 * collects, per checker, what it saw, what it would build and why not ({@link #reports()}); the
 * chain and the checkers have no side effects either way, and only the patrol loop adds
 * operators, so a dry run changes nothing.
 *
 * <p>Not thread-safe: one request per check.
 */
public final class CheckRequest {
  private final boolean dryRun;
  private final List<CheckerReport> reports;
  private Draft current;
  private Reason currentReason;
  private boolean retryLater;
  private RegionInfo peersOf;
  private List<Metapb.Peer> peers;
  private RegionInfo countedOf;
  private int voters;
  private int learners;
  private int missingReplicas;
  private List<String> events;
  private RuleVerdict ruleVerdict = RuleVerdict.NOT_CHECKED;
  /** The schedule limit the built operators counted against (null: none), and its config key. */
  private OpKind limitKind;
  private ToLongFunction<CheckerConfig> limit;

  /** What the rule checker concluded about the region in this pass. */
  public enum RuleVerdict {
    /** The rule checker did not run (rules off, an earlier checker built something, a gate). */
    NOT_CHECKED,
    /** It needed a store and none qualifies (not merely a temporarily unavailable one). */
    NO_TARGET_STORE,
    /** It built an operator, or found nothing to fix, or stopped for another reason. */
    OTHER
  }

  private CheckRequest(boolean dryRun) {
    this.dryRun = dryRun;
    this.reports = dryRun ? new ArrayList<>() : List.of();
  }

  /** A request from the patrol loop: no explanations collected. */
  public static CheckRequest forPatrol() {
    return new CheckRequest(false);
  }

  /** A dry run: every checker that runs says what it saw and why it built nothing. */
  public static CheckRequest forDryRun() {
    return new CheckRequest(true);
  }

  /** Whether this is a dry run (explanations are collected). */
  public boolean dryRun() {
    return dryRun;
  }

  /** The checkers' reports, in chain order; empty unless a dry run. */
  public List<CheckerReport> reports() {
    return List.copyOf(reports);
  }

  /**
   * Whether the region should be checked again soon (PD's pending/waiting list): a limit was hit
   * or a target store was only temporarily unavailable.
   */
  public boolean retryLater() {
    return retryLater;
  }

  /** How many replicas the region misses (0 when none): its rank in the priority list. */
  public int missingReplicas() {
    return missingReplicas;
  }

  /** What the rule checker concluded (PD's rule-checker pending list follows it). */
  public RuleVerdict ruleVerdict() {
    return ruleVerdict;
  }

  // ---- the region's peers, built once per check (RegionInfo builds them on every call) ----

  /** The region's peers; computed once per request and region snapshot. */
  List<Metapb.Peer> peers(RegionInfo region) {
    if (peersOf != region) {
      peersOf = region;
      peers = region.peers();
    }
    return peers;
  }

  /** Voters (every role but learner) of the region. */
  int voterCount(RegionInfo region) {
    count(region);
    return voters;
  }

  int learnerCount(RegionInfo region) {
    count(region);
    return learners;
  }

  boolean inJointState(RegionInfo region) {
    return region.inJointState();
  }

  /** Counts voters and learners from the region's compact peers, once per snapshot. */
  private void count(RegionInfo region) {
    if (countedOf == region) {
      return;
    }
    countedOf = region;
    voters = 0;
    learners = 0;
    for (int i = 0, n = region.peerCount(); i < n; i++) {
      if (region.peerIsLearner(i)) {
        learners++;
      } else {
        voters++;
      }
    }
  }

  // ---- written by the chain and the checkers ----

  void begin(String checker) {
    finish();
    currentReason = null;
    if (dryRun) {
      current = new Draft(checker);
    }
  }

  /** Records a fact; callers build costly strings only when {@link #dryRun()}. */
  void saw(String fact) {
    if (current != null) {
      current.saw.add(fact);
    }
  }

  void rejected(long storeId, String filter, String why) {
    if (current != null) {
      current.rejected.add(new StoreRejection(storeId, filter, why));
    }
  }

  /** Records why the current checker built nothing; keeps the first reason given. */
  void reason(Reason reason, String detail) {
    if (currentReason == null) {
      currentReason = reason;
    }
    if (current != null && current.reason == null) {
      current.reason = reason;
      current.detail = detail;
    }
  }

  /** As {@link #reason(Reason, String)}, the words built only for a dry run. */
  void reason(Reason reason, java.util.function.Supplier<String> detail) {
    reason(reason, current != null ? detail.get() : null);
  }

  /** The operators built counted against this schedule limit (CheckerChain#withinLimits). */
  void limitedBy(OpKind kind, ToLongFunction<CheckerConfig> limitOf) {
    limitKind = kind;
    limit = limitOf;
  }

  OpKind limitKind() {
    return limitKind;
  }

  ToLongFunction<CheckerConfig> limit() {
    return limit;
  }

  void built(List<Operator> ops) {
    currentReason = Reason.BUILT;
    if (current != null) {
      current.ops.addAll(ops);
      current.reason = Reason.BUILT;
      current.detail = ops.isEmpty() ? "" : ops.get(0).desc();
    }
  }

  /** Replaces the current checker's outcome (a limit refuses what it built). */
  void override(Reason reason, String detail) {
    currentReason = reason;
    if (current != null) {
      current.reason = reason;
      current.detail = detail;
    }
  }

  /** The current checker's outcome so far, or null. */
  Reason currentReason() {
    return currentReason;
  }

  /**
   * Counts a checker event ({@code pd_checker_event_count{type, name}}, {@code type} the running
   * checker's): the chain hands it to its {@link CheckerEvents} after the checker returns. Only
   * patrol requests count; a dry run counts nothing, so diagnosing a region does not move the
   * counters.
   */
  void event(String name) {
    if (!dryRun) {
      if (events == null) {
        events = new ArrayList<>(4);
      }
      events.add(name);
    }
  }

  /** Counts the events recorded since the last drain under {@code type}, and forgets them. */
  void drainEvents(CheckerEvents sink, String type) {
    if (events != null && !events.isEmpty()) {
      for (String name : events) {
        sink.inc(type, name);
      }
      events.clear();
    }
  }

  void ruleVerdict(RuleVerdict v) {
    ruleVerdict = v;
  }

  void markRetryLater() {
    retryLater = true;
  }

  void missingReplicas(int n) {
    missingReplicas = Math.max(missingReplicas, n);
  }

  void finish() {
    if (current != null) {
      Reason r = current.reason == null ? Reason.NOTHING_TO_DO : current.reason;
      reports.add(new CheckerReport(current.checker, current.saw, current.ops, r,
          current.detail == null ? "" : current.detail, current.rejected));
      current = null;
    }
  }

  private static final class Draft {
    final String checker;
    final List<String> saw = new ArrayList<>();
    final List<Operator> ops = new ArrayList<>();
    final List<StoreRejection> rejected = new ArrayList<>();
    Reason reason;
    String detail;

    Draft(String checker) {
      this.checker = checker;
    }
  }
}
