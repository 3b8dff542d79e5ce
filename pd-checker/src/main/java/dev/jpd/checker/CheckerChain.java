package dev.jpd.checker;

import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The checkers in PD's order ({@code CheckRegion}): the first one that builds something wins.
 *
 * <pre>
 *   joint-state ─▶ [schedule=deny stops here] ─▶ split ─▶ rule          (placement rules on)
 *                                                     └▶ learner ─▶ replica (rules off)
 *                                               ─▶ merge
 * </pre>
 *
 * The replica (and rule) checker's operator is dropped when {@code replica-schedule-limit}
 * operators of kind {@code replica} run already, and the region is marked for a retry; the merge
 * checker does not run while {@code merge-schedule-limit} merges run. Any checker can be paused
 * for a while ({@code POST /checker/{name}}), judged on the cluster's clock.
 *
 * <p>The order lives in {@link #standard} and nowhere else. Thread-safe: checkers are stateless
 * but for the merge checker's split record, and pauses are a concurrent map.
 */
public final class CheckerChain {

  /** One element of the chain: a checker to run, or a gate that ends the chain. */
  private sealed interface Link permits Run, Gate {}

  /**
   * A checker, when it applies under the config, counted against a schedule limit (checked
   * before running it, or after it built something).
   */
  private record Run(Checker checker, Predicate<CheckerConfig> applies, OpKind limitKind,
      ToLongFunction<CheckerConfig> limit, boolean limitFirst, String type) implements Link {
    Run(Checker checker, Predicate<CheckerConfig> applies, OpKind limitKind,
        ToLongFunction<CheckerConfig> limit, boolean limitFirst) {
      // PD's label values: "replica_checker", "joint_state_checker", ... (its dashboards read them)
      this(checker, applies, limitKind, limit, limitFirst,
          checker.name().replace('-', '_') + "_checker");
    }
  }

  private record Gate(String name, Predicate<RegionInfo> stops, String why) implements Link {}

  private final List<Link> links;
  private final CheckerCluster cluster;
  private final Operators operators;
  private final CheckerEvents events;
  private final MergeChecker merge;
  private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

  private CheckerChain(List<Link> links, CheckerCluster cluster, Operators operators,
      CheckerEvents events, MergeChecker merge) {
    this.links = List.copyOf(links);
    this.cluster = cluster;
    this.operators = operators;
    this.events = events;
    this.merge = merge;
  }

  /** PD's chain without a rule checker: learner and replica run whatever the rules switch says. */
  public static CheckerChain standard(CheckerCluster cluster, Operators operators,
      CheckerEvents events) {
    return build(cluster, operators, events, null, null);
  }

  /**
   * PD's chain with placement rules: while {@code enable-placement-rules} is on, the split
   * checker also cuts regions at rule boundaries and the {@link RuleChecker} over {@code rules}
   * replaces the learner and replica checkers.
   */
  public static CheckerChain standard(CheckerCluster cluster, Operators operators,
      CheckerEvents events, RuleManager rules) {
    return build(cluster, operators, events, RuleChecker.of(cluster, rules), rules);
  }

  /**
   * PD's chain. {@code ruleChecker} (may be null until the placement-rule checker lands) replaces
   * the learner and replica checkers while {@code enable-placement-rules} is on.
   */
  public static CheckerChain standard(CheckerCluster cluster, Operators operators,
      CheckerEvents events, Checker ruleChecker) {
    return build(cluster, operators, events, ruleChecker, null);
  }

  private static CheckerChain build(CheckerCluster cluster, Operators operators,
      CheckerEvents events, Checker ruleChecker, RuleManager rules) {
    Predicate<CheckerConfig> rulesOn = c -> ruleChecker != null && c.enablePlacementRules();
    MergeChecker merge = new MergeChecker(cluster);
    List<Link> links = new ArrayList<>();
    links.add(always(new JointStateChecker(cluster)));
    links.add(new Gate("schedule-deny", cluster::scheduleDenied, "region label schedule=deny"));
    links.add(always(new SplitChecker(cluster, rules)));
    if (ruleChecker != null) {
      links.add(new Run(ruleChecker, rulesOn, OpKind.REPLICA,
          CheckerConfig::replicaScheduleLimit, false));
    }
    links.add(new Run(new LearnerChecker(cluster), rulesOn.negate(), null, null, false));
    links.add(new Run(new ReplicaChecker(cluster), rulesOn.negate(), OpKind.REPLICA,
        CheckerConfig::replicaScheduleLimit, false));
    links.add(new Run(merge, c -> true, OpKind.MERGE, CheckerConfig::mergeScheduleLimit, true));
    return new CheckerChain(links, cluster, operators, events, merge);
  }

  private static Run always(Checker c) {
    return new Run(c, cfg -> true, null, null, false);
  }

  /**
   * Runs the chain over the region: the operators of the first checker that builds any, or an
   * empty list. Never adds them anywhere; the caller does.
   */
  public List<Operator> check(RegionInfo region, CheckRequest req) {
    CheckerConfig cfg = cluster.config();
    for (Link link : links) {
      if (link instanceof Gate g) {
        if (g.stops().test(region)) {
          req.begin(g.name());
          req.reason(Reason.SCHEDULE_DENY, g.why());
          req.finish();
          return List.of();
        }
        continue;
      }
      Run run = (Run) link;
      Checker c = run.checker();
      String type = run.type();
      if (!run.applies().test(cfg)) {
        if (req.dryRun()) {
          req.begin(c.name());
          req.reason(Reason.DISABLED, cfg.enablePlacementRules()
              ? "placement rules are on" : "placement rules are off");
        }
        continue;
      }
      req.begin(c.name());
      events.inc(type, "check");
      if (isPaused(c.name())) {
        events.inc(type, "paused");
        req.reason(Reason.PAUSED,
            () -> "paused until " + Instant.ofEpochMilli(pausedUntil.getOrDefault(c.name(), 0L)));
        continue;
      }
      if (run.limitFirst() && overLimit(run, cfg)) {
        events.inc(type, "operator-limit");
        req.reason(Reason.SCHEDULE_LIMIT, () -> limitText(run, cfg));
        continue;
      }
      List<Operator> ops = c.check(region, req);
      req.drainEvents(events, type);
      if (c.name().equals(RuleChecker.NAME)) {
        boolean noStore = ops.isEmpty() && req.currentReason() == Reason.NO_TARGET_STORE
            && !req.retryLater();
        req.ruleVerdict(noStore ? CheckRequest.RuleVerdict.NO_TARGET_STORE
            : CheckRequest.RuleVerdict.OTHER);
      }
      if (ops.isEmpty()) {
        Reason r = req.currentReason();
        events.inc(type, r == null ? Reason.NOTHING_TO_DO.text() : r.text());
        continue;
      }
      if (!run.limitFirst() && run.limitKind() != null && overLimit(run, cfg)) {
        events.inc(type, "operator-limit");
        req.built(ops);
        req.override(Reason.SCHEDULE_LIMIT, req.dryRun() ? limitText(run, cfg) : "");
        req.markRetryLater();
        continue;
      }
      events.inc(type, "new-operator");
      req.built(ops);
      req.limitedBy(run.limitKind(), run.limit());
      if (req.dryRun()) {
        for (Operator op : ops) {
          String limited = cluster.storeLimitExceeded(op);
          if (limited != null) {
            req.override(Reason.STORE_LIMIT, limited);
          }
        }
      }
      req.finish();
      return ops;
    }
    req.finish();
    return List.of();
  }

  /** A dry run over the region: what every checker saw, would build, or why not. */
  public Diagnosis diagnose(RegionInfo region) {
    CheckRequest req = CheckRequest.forDryRun();
    List<Operator> ops = check(region, req);
    Optional<Operator> running = operators.get(region.id());
    return new Diagnosis(region.id(), running.orElse(null), req.reports(), ops);
  }

  /**
   * Whether the schedule limit the request's operators were built under (replica, merge) still
   * has room: asked again when checks ran side by side (patrol workers), since each saw the
   * operator counts from before the others' operators were added.
   */
  public boolean withinLimits(CheckRequest req) {
    return req.limitKind() == null
        || operators.count(req.limitKind()) < req.limit().applyAsLong(cluster.config());
  }

  private boolean overLimit(Run run, CheckerConfig cfg) {
    return operators.count(run.limitKind()) >= run.limit().applyAsLong(cfg);
  }

  private String limitText(Run run, CheckerConfig cfg) {
    return run.limitKind().pdName() + "-schedule-limit " + run.limit().applyAsLong(cfg)
        + " reached (" + operators.count(run.limitKind()) + " running)";
  }

  /** The checkers' names in chain order (the pause API's names). */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (Link l : links) {
      if (l instanceof Run r) {
        names.add(r.checker().name());
      }
    }
    return names;
  }

  /**
   * Pauses the checker for {@code delay} from now ({@code POST /checker/{name}} with {@code
   * delay}); a zero delay resumes it.
   *
   * @throws IllegalArgumentException when no checker has that name
   */
  public void pause(String name, Duration delay) {
    if (!names().contains(name)) {
      throw new IllegalArgumentException(
          "unknown checker \"" + name + "\": use one of " + String.join(", ", names()));
    }
    if (delay.isZero() || delay.isNegative()) {
      pausedUntil.remove(name);
    } else {
      pausedUntil.put(name, cluster.clock().millis() + delay.toMillis());
    }
  }

  /** Whether the checker is paused now ({@code GET /checker/{name}}). */
  public boolean isPaused(String name) {
    Long until = pausedUntil.get(name);
    return until != null && cluster.clock().millis() < until;
  }

  /** The paused checkers and until when, by name. */
  public Map<String, Instant> paused() {
    Map<String, Instant> out = new TreeMap<>();
    pausedUntil.forEach((n, until) -> {
      if (isPaused(n)) {
        out.put(n, Instant.ofEpochMilli(until));
      }
    });
    return out;
  }

  /**
   * The regions were just split (AskBatchSplit, a split operator finished): the merge checker
   * leaves them alone for {@code split-merge-interval}.
   */
  public void recordRegionSplit(long... regionIds) {
    merge.recordRegionSplit(regionIds);
  }
}
