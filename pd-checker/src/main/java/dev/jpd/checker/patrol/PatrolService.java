package dev.jpd.checker.patrol;

import dev.jpd.checker.CheckRequest;
import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.CheckerCluster;
import dev.jpd.checker.CheckerConfig;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.region.RegionInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The patrol loop (PD's {@code PatrolRegions}, {@code checker_controller.go}): every {@code
 * patrol-region-interval} (re-read each tick) it checks, in this order,
 *
 * <ol>
 *   <li>the urgent regions (beyond PD: {@link #regionUnhealthy} and {@link #storeChanged} queue
 *       them the moment a heartbeat or a store-state change shows them unhealthy), up to a
 *       budget per tick;
 *   <li>the priority regions (missing replicas, linear back-off);
 *   <li>the pending regions (a limit or a temporarily unavailable store stopped them; TTL 3 min),
 *       at most 128 a tick, and none while {@code replica-schedule-limit} is full (the rule
 *       pending list, regions no store qualifies for, waits instead for a store change);
 *   <li>one suspect key range;
 *   <li>the next batch of the key-ordered scan: {@code clamp(regions / 1024, 128, 8192)} regions
 *       from where the last batch ended; when it reaches the end of the key space a full round is
 *       done ({@code pd_checker_patrol_regions_time}) and the batch size is recomputed.
 * </ol>
 *
 * A region with an operator is skipped. Each check runs the {@link CheckerChain}; its operators go
 * to {@link Operators#addWaiting}; when that refuses (store limit), or the chain asks for a retry,
 * the region goes to the pending list. Nothing runs before the prepare check passes (90 % of
 * regions reported since start, or 5 min), while {@code halt-scheduling} is on, or while this
 * member is not the leader.
 *
 * <p><b>Workers</b> ({@code patrol-region-worker-count} above 1, as PD). The regions of a batch
 * (the urgent list, the pending list, the scan) are checked by the patrol thread and that many
 * less one tasks on the injected worker executor, each taking the next slice of {@value
 * #MIN_SLICE} regions until none is left; then the patrol thread applies the results one region
 * at a time in batch order: the lists, and the operators to the controller. The chain is
 * thread-safe (a dry run may check beside the patrol anyway); the lists and the controller see
 * one writer, as with one worker. A check sees the
 * operator counts from before its batch, so an operator built under a schedule limit is admitted
 * only if the limit still has room when its turn comes ({@link CheckerChain#withinLimits}), else
 * the region is retried from the pending list, as with one worker.
 *
 * <p><b>Lifecycle.</b> {@code NEW → RUNNING ⇄ STOPPED}: {@link #start} on becoming leader (it
 * resets the lists and the prepare check), {@link #stop} on losing leadership or shutdown. Ticks
 * run one at a time on the injected executor, each scheduling the next, so a slow tick delays the
 * next instead of piling up. The executor belongs to the caller.
 */
public final class PatrolService {
  private static final Logger LOG = LoggerFactory.getLogger(PatrolService.class);

  static final int MIN_SCAN_LIMIT = 128;
  static final int MAX_SCAN_LIMIT = 8192;
  static final int PARTITION = 1024;
  /** Urgent regions checked per tick at most. */
  static final int URGENT_BUDGET = 8192;
  static final int SUSPECT_SCAN_LIMIT = 1024;
  /** Pending regions re-checked per tick at most (PD re-checks all of them every tick). */
  static final int PENDING_BUDGET = 128;
  /**
   * Regions a worker takes at a time; a batch of fewer than two slices is checked on the patrol
   * thread alone.
   */
  static final int MIN_SLICE = 32;
  private static final byte[] NO_KEY = new byte[0];

  /** The service's states; the transition table is {@link #transition}. */
  enum State { NEW, RUNNING, STOPPED }

  private final CheckerChain chain;
  private final CheckerCluster cluster;
  private final Operators operators;
  private final ScheduledExecutorService executor;
  private final BooleanSupplier isLeader;
  private final CheckerMetrics metrics;
  /** Runs the other slices of a batch; null: every check on the patrol thread. */
  private final Executor workers;

  private final PriorityRegions priority = new PriorityRegions(PriorityRegions.CAPACITY);
  private final PendingRegions pending =
      new PendingRegions(PendingRegions.TTL_MILLIS, PendingRegions.CAPACITY);
  private final UrgentRegions urgent = new UrgentRegions();
  private final RulePendingRegions rulePending =
      new RulePendingRegions(RulePendingRegions.CAPACITY);
  private final SuspectRanges suspects = new SuspectRanges();
  private final PrepareCheck prepare = new PrepareCheck();
  private final PrepareCheck.Counts counts;

  private State state = State.NEW;
  private ScheduledFuture<?> next;
  /** Patrol-thread state: where the scan resumes, when the round began, the batch size. */
  private byte[] scanKey = NO_KEY;
  private long roundStartMillis = -1;
  private int scanLimit = MIN_SCAN_LIMIT;

  public PatrolService(CheckerChain chain, CheckerCluster cluster, Operators operators,
      ScheduledExecutorService executor, BooleanSupplier isLeader, CheckerMetrics metrics) {
    this(chain, cluster, operators, executor, isLeader, metrics, null);
  }

  /**
   * A patrol whose batches are checked by up to {@code patrol-region-worker-count} threads: the
   * patrol thread and {@code workers} (which belongs to the caller; null runs every check on the
   * patrol thread, whatever the config says).
   */
  public PatrolService(CheckerChain chain, CheckerCluster cluster, Operators operators,
      ScheduledExecutorService executor, BooleanSupplier isLeader, CheckerMetrics metrics,
      Executor workers) {
    this.workers = workers;
    this.chain = Objects.requireNonNull(chain);
    this.cluster = Objects.requireNonNull(cluster);
    this.operators = Objects.requireNonNull(operators);
    this.executor = Objects.requireNonNull(executor);
    this.isLeader = Objects.requireNonNull(isLeader);
    this.metrics = Objects.requireNonNull(metrics);
    this.counts = new PrepareCheck.Counts() {
      @Override
      public int total() {
        return cluster.regionCount();
      }

      @Override
      public int reported() {
        return cluster.reportedRegionCount();
      }
    };
  }

  /** Starts patrolling (on becoming leader): lists emptied, prepare check restarted. */
  public synchronized void start() {
    transition(State.RUNNING);
    long now = cluster.clock().millis();
    prepare.reset(now);
    pending.clear();
    rulePending.clear();
    urgent.clear();
    suspects.clear();
    scanKey = NO_KEY;
    roundStartMillis = -1;
    scanLimit = scanLimit(cluster.regionCount());
    scheduleNext();
    LOG.info("patrol regions started interval={}", cluster.config().patrolRegionInterval());
  }

  /** Stops patrolling (on losing leadership or shutdown); a tick under way finishes. */
  public synchronized void stop() {
    if (state != State.RUNNING) {
      return;
    }
    transition(State.STOPPED);
    if (next != null) {
      next.cancel(false);
      next = null;
    }
    LOG.info("patrol regions stopped");
  }

  public synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  private void transition(State to) {
    boolean ok = switch (state) {
      case NEW, STOPPED -> to == State.RUNNING;
      case RUNNING -> to == State.STOPPED;
    };
    if (!ok) {
      throw new IllegalStateException("patrol service cannot go from " + state + " to " + to);
    }
    state = to;
  }

  private synchronized void scheduleNext() {
    if (state != State.RUNNING) {
      return;
    }
    long delay = Math.max(1, cluster.config().patrolRegionInterval().toNanos());
    next = executor.schedule(this::tickAndReschedule, delay, TimeUnit.NANOSECONDS);
  }

  private void tickAndReschedule() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("patrol regions tick failed error=\"{}\"", e.toString(), e);
    } finally {
      scheduleNext();
    }
  }

  // ---- entry points for the heartbeat path, the store-state checker and the API ----

  /**
   * A heartbeat showed the region unhealthy (missing, down, pending or offline peer, learner, or
   * a joint state): check it on the next tick instead of when the scan comes around.
   */
  public void regionUnhealthy(long regionId) {
    urgent.add(regionId);
  }

  /**
   * The store changed state (Down, Offline, Up again, Tombstone, or low space): check all of its
   * regions (from the per-store index) on the next ticks, and every region in the rule pending
   * list, for which a target store may have appeared.
   */
  public void storeChanged(long storeId) {
    urgent.addAll(cluster.storeRegionIds(storeId));
    for (long id : rulePending.ids()) {
      urgent.add(id);
    }
  }

  /** Regions in [start, end) should be checked soon (rules or labels changed). */
  public void addSuspectKeyRange(byte[] start, byte[] end) {
    suspects.add(start, end, cluster.clock().millis());
  }

  /** Whether the region waits in the pending list. */
  public boolean isPending(long regionId) {
    return pending.contains(regionId);
  }

  /**
   * Whether the region waits in the rule pending list (PD's rule-checker {@code pendingList}):
   * the rule checker found no store to fix it with.
   */
  public boolean isRulePending(long regionId) {
    return rulePending.contains(regionId);
  }

  /** The rule pending list's region ids, oldest first. */
  public List<Long> rulePendingRegionIds() {
    return rulePending.ids();
  }

  /** The pending list's region ids, oldest first. */
  public List<Long> pendingRegionIds() {
    return pending.ids();
  }

  /**
   * How many regions wait in each list, for PD's {@code pd_checker_region_list{type}} gauge:
   * {@code pending_processed_regions}, {@code priority_list}, and (beyond PD) {@code urgent}.
   */
  public int listSize(String type) {
    return switch (type) {
      case "pending_processed_regions" -> pending.size();
      case "priority_list" -> priority.size();
      case "urgent" -> urgent.size();
      default -> throw new IllegalArgumentException("unknown region list \"" + type + "\"");
    };
  }

  /** Whether the prepare check has passed since the last start. */
  public boolean isPrepared() {
    return prepare.isPrepared();
  }

  // ---- the tick ----

  /** One patrol tick; runs on the executor, or directly from tests and benches. */
  void tick() {
    if (!isLeader.getAsBoolean()) {
      return;
    }
    CheckerConfig cfg = cluster.config();
    if (cfg.haltScheduling()) {
      return;
    }
    long now = cluster.clock().millis();
    if (!prepare.check(now, counts)) {
      return;
    }
    checkAll(byIds(urgent.take(Math.max(URGENT_BUDGET, scanLimit))));
    for (long id : priority.due(now, cfg.patrolRegionInterval().toMillis())) {
      RegionInfo r = cluster.region(id);
      if (r == null) {
        priority.remove(id);
        continue;
      }
      apply(r, check(r), false);
    }
    // While replica-schedule-limit is full nothing waiting for a replica operator can go;
    // re-checking costs a store search each. The scan still reaches every region.
    if (operators.count(OpKind.REPLICA) < cfg.replicaScheduleLimit()) {
      checkAll(byIds(pending.take(PENDING_BUDGET, now)));
    }
    checkSuspectRange(now);
    scanBatch(now);
  }

  /** The regions of the ids; an id whose region is gone leaves every list. */
  private List<RegionInfo> byIds(long[] ids) {
    List<RegionInfo> out = new ArrayList<>(ids.length);
    for (long id : ids) {
      RegionInfo r = cluster.region(id);
      if (r == null) {
        pending.remove(id);
        priority.remove(id);
        rulePending.remove(id);
      } else {
        out.add(r);
      }
    }
    return out;
  }

  private void checkSuspectRange(long now) {
    SuspectRanges.Range range = suspects.poll(now);
    if (range == null) {
      return;
    }
    List<RegionInfo> regions = cluster.scanRegions(range.start(), range.end(), SUSPECT_SCAN_LIMIT);
    for (RegionInfo r : regions) {
      pending.add(r.id(), now);
    }
    if (regions.size() == SUSPECT_SCAN_LIMIT) {
      byte[] last = regions.get(regions.size() - 1).endKey().toByteArray();
      boolean more = last.length > 0
          && (range.end().length == 0 || Arrays.compareUnsigned(last, range.end()) < 0);
      if (more) {
        suspects.putBack(new SuspectRanges.Range(last, range.end(), range.expiresMillis()));
      }
    }
  }

  private void scanBatch(long now) {
    if (roundStartMillis < 0) {
      roundStartMillis = now;
    }
    List<RegionInfo> batch = cluster.scanRegions(scanKey, NO_KEY, scanLimit);
    if (batch.isEmpty()) {
      endRound(now);
      return;
    }
    checkAll(batch);
    scanKey = batch.get(batch.size() - 1).endKey().toByteArray();
    if (scanKey.length == 0) {
      endRound(cluster.clock().millis());
    }
  }

  private void endRound(long now) {
    metrics.patrolRound(now - roundStartMillis);
    roundStartMillis = -1;
    scanKey = NO_KEY;
    scanLimit = scanLimit(cluster.regionCount());
  }

  /** PD's adaptive batch: {@code clamp(regions / 1024, 128, 8192)}. */
  static int scanLimit(int regionCount) {
    return Math.max(MIN_SCAN_LIMIT, Math.min(MAX_SCAN_LIMIT, regionCount / PARTITION));
  }

  /**
   * PD's {@code tryAddOperators} over a batch: every region checked (by the workers when there
   * are several), then each result applied in batch order on this thread.
   */
  private void checkAll(List<RegionInfo> regions) {
    int n = regions.size();
    int threads = workers == null ? 1
        : Math.min(cluster.config().patrolRegionWorkerCount(), n / MIN_SLICE);
    if (threads <= 1) {
      for (RegionInfo r : regions) {
        apply(r, check(r), false);
      }
      return;
    }
    // every thread takes the next slice of MIN_SLICE regions until none is left, so a slow
    // thread (or one the OS did not run) holds up at most one slice
    Checked[] results = new Checked[n];
    AtomicInteger next = new AtomicInteger();
    Runnable drain = () -> {
      for (int from; (from = next.getAndAdd(MIN_SLICE)) < n; ) {
        for (int i = from, to = Math.min(n, from + MIN_SLICE); i < to; i++) {
          results[i] = check(regions.get(i));
        }
      }
    };
    CompletableFuture<?>[] others = new CompletableFuture<?>[threads - 1];
    for (int k = 0; k < others.length; k++) {
      try {
        others[k] = CompletableFuture.runAsync(drain, workers);
      } catch (RejectedExecutionException e) { // workers shut down: this thread drains alone
        others[k] = CompletableFuture.completedFuture(null);
      }
    }
    drain.run();
    CompletableFuture.allOf(others).join();
    for (int i = 0; i < n; i++) {
      apply(regions.get(i), results[i], true);
    }
  }

  /**
   * What the check of one region found: {@code req} null when the region has an operator
   * already, {@code ops} null when the chain failed.
   */
  private record Checked(CheckRequest req, List<Operator> ops) {
    static final Checked HAS_OPERATOR = new Checked(null, List.of());
  }

  /** The first half of PD's {@code tryAddOperators}: runs on any patrol thread, touches no list. */
  private Checked check(RegionInfo region) {
    if (operators.get(region.id()).isPresent()) {
      return Checked.HAS_OPERATOR;
    }
    CheckRequest req = CheckRequest.forPatrol();
    try {
      return new Checked(req, chain.check(region, req));
    } catch (RuntimeException e) {
      // one bad region must not stall the scan on the same batch forever
      metrics.inc("patrol", "check-failed");
      LOG.warn("check region failed region-id={} error=\"{}\"", region.id(), e.toString(), e);
      return new Checked(req, null);
    }
  }

  /**
   * The second half, on the patrol thread only: the lists, and the operators to the controller.
   * {@code concurrent}: the check ran beside others of its batch, so its schedule limit is
   * checked again against the operators added since.
   */
  private void apply(RegionInfo region, Checked c, boolean concurrent) {
    long id = region.id();
    if (c.req() == null) {
      metrics.inc("patrol", "skip-has-operator");
      pending.remove(id);
      return;
    }
    if (c.ops() == null) {
      return;
    }
    CheckRequest req = c.req();
    List<Operator> ops = c.ops();
    long now = cluster.clock().millis();
    priority.update(id, req.missingReplicas(), now);
    switch (req.ruleVerdict()) {
      case NO_TARGET_STORE -> rulePending.add(id);
      case OTHER -> rulePending.remove(id);
      case NOT_CHECKED -> { } // the rule checker did not look: its verdict stands
    }
    if (ops.isEmpty()) {
      if (req.retryLater()) {
        pending.add(id, now);
      } else {
        pending.remove(id);
      }
      return;
    }
    if (concurrent && !chain.withinLimits(req)) {
      metrics.inc("patrol", "operator-limit");
      pending.add(id, now);
      return;
    }
    Operators.AddResult added = operators.addWaiting(ops.toArray(new Operator[0]));
    if (added.accepted()) {
      pending.remove(id);
    } else {
      metrics.inc("patrol", "add-operator-refused");
      pending.add(id, now);
    }
  }

  // ---- views for tests ----

  int scanLimit() {
    return scanLimit;
  }

  /** Whether the scan is at the start of the key space (a round just ended, or none began). */
  boolean scanKeyEmpty() {
    return scanKey.length == 0;
  }

  int urgentCount() {
    return urgent.size();
  }

  int priorityCount() {
    return priority.size();
  }

  boolean inPriority(long regionId) {
    return priority.contains(regionId);
  }
}
