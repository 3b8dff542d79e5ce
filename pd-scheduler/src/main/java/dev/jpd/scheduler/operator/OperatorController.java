package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.MergeRegion;
import dev.jpd.core.operator.OpInfluence;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStatus;
import dev.jpd.core.operator.OpStep;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storelimit.StoreLimits;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operators: admits them (now or through the waiting queue), sends their current step to
 * the region's leader, judges their progress from the regions the leaders report, and ends them
 * (PD's {@code operator.Controller}).
 *
 * <p>Design note.
 *
 * <ul>
 *   <li><b>Invariants.</b> At most one running operator per region, always STARTED when it is put
 *       in {@code running}; every operator that leaves {@code running} is ended and buried exactly
 *       once (logged, counted, kept as a record for 10 minutes). The per-kind counts equal the
 *       running operators counted under each kind. Store-limit tokens are taken once, when an
 *       operator starts; they are not given back (v1 store limits, as PD).
 *   <li><b>Locks.</b> Admission — the checks, the schedule and store limits, the waiting queue and
 *       the start — runs under one {@code admission} lock, so that two schedulers cannot both
 *       pass a limit that has room for one. The heartbeat path takes no lock: {@code running} is
 *       a ConcurrentHashMap, the {@link Operator} advances its own progress atomically, and an
 *       operator is taken out of {@code running} only by {@code remove(regionId, entry)}, whose
 *       single winner does the accounting and the burial. Heartbeats of one region racing with a
 *       push may both send the current step: a step sent twice is harmless (TiKV ignores a conf
 *       change that is already applied or proposed), and re-sending is how a lost command gets
 *       through. Promotion after an operator ends takes the admission lock on the thread that
 *       ended it.
 *   <li><b>Progress.</b> Judged only from reported regions: {@link Operator#check} advances past
 *       the steps the region shows done; a STARTED operator is canceled when its step can no
 *       longer finish (stale status) or the region's conf_ver moved further than its own steps
 *       explain (epoch not match). Every heartbeat re-sends the current step, and the push tick
 *       re-sends it with the cached region 2 s (leader transfer, promote, joint enter/leave) or
 *       5 s (the rest) after the last push — sooner, on the next tick, when the leader's store
 *       had no stream.
 *   <li><b>Merge.</b> A merge is a pair: the active operator on the source (its MergeRegion step
 *       never finishes) and the passive one on the target (done when the target's range grew).
 *       They are admitted, queued and started together; when either leaves {@code running} the
 *       other is canceled with "related merge region". Once the active MergeRegion step is sent,
 *       the source's epoch moves by PrepareMerge, so the epoch checks are skipped for it; when
 *       the source region is gone, the passive operator is judged from the cached target first.
 * </ul>
 *
 * <p>Deliberate differences from PD: schedule limits per kind are also enforced here (PD leaves
 * them to the schedulers): {@link #add} refuses, and a waiting operator over its kind's limit
 * stays queued until there is room or it expires. Expired waiting operators are dropped by the
 * push tick instead of on their next promotion.
 */
public final class OperatorController implements Operators {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorController.class);

  private final ControllerCluster cluster;
  private final Supplier<? extends ControllerConfig> config;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final StoreLimits storeLimits = new StoreLimits();
  private final ConcurrentHashMap<Long, Running> running = new ConcurrentHashMap<>();
  private final Map<OpKind, AtomicLong> counts = new EnumMap<>(OpKind.class);
  private final AtomicLong unkinded = new AtomicLong();
  private final OperatorRecords records = new OperatorRecords();
  private final ReentrantLock admission = new ReentrantLock();
  private final WaitingOperators waiting; // guarded by admission
  private final AdmissionChecks checks;
  private final OperatorBurial burial;
  private final CommandSender sender;

  /**
   * A controller.
   *
   * @param cluster the cached regions and stores
   * @param config the schedule config of the moment, read on every decision
   * @param sink the stores' heartbeat streams
   * @param clusterId the cluster id for the response header
   * @param clock the time for every decision
   * @param registry where the metrics go
   * @param random picks the waiting bucket (PD's weighted random)
   */
  public OperatorController(
      ControllerCluster cluster,
      Supplier<? extends ControllerConfig> config,
      CommandSink sink,
      LongSupplier clusterId,
      Clock clock,
      MeterRegistry registry,
      RandomGenerator random) {
    this.cluster = cluster;
    this.config = config;
    this.clock = clock;
    this.metrics = new OperatorMetrics(registry);
    this.waiting = new WaitingOperators(random);
    for (OpKind k : OpKind.values()) {
      counts.put(k, new AtomicLong());
    }
    this.checks = new AdmissionChecks(cluster, config, storeLimits, metrics,
        id -> {
          Running r = running.get(id);
          return r == null ? null : r.op;
        },
        this::count);
    this.burial = new OperatorBurial(metrics, records);
    this.sender = new CommandSender(config, sink, clusterId);
  }

  /** A controller picking waiting operators with a fresh random generator. */
  public OperatorController(
      ControllerCluster cluster,
      Supplier<? extends ControllerConfig> config,
      CommandSink sink,
      LongSupplier clusterId,
      Clock clock,
      MeterRegistry registry) {
    this(cluster, config, sink, clusterId, clock, registry, RandomGenerator.getDefault());
  }

  /** The store limits, for the API that shows them. */
  public StoreLimits storeLimits() {
    return storeLimits;
  }

  // ---- admission ----

  @Override
  public AddResult add(Operator... ops) {
    if (ops.length == 0) {
      return AddResult.refused("no operator given");
    }
    List<Operator> entry = List.of(ops);
    admission.lock();
    try {
      long now = clock.millis();
      AdmissionChecks.Refusal r = checks.checkAdd(entry, now, null);
      if (r == null) {
        r = checks.checkScheduleLimit(entry);
      }
      if (r == null) {
        r = checks.checkStoreLimit(entry, now);
      }
      if (r != null) {
        refuse(entry, r, now);
        return AddResult.refused(r.text());
      }
      for (Operator op : entry) {
        if (!start(op, now)) {
          return AddResult.refused("operator for region " + op.regionId() + " could not start: "
              + op.status());
        }
      }
      return AddResult.OK;
    } finally {
      admission.unlock();
    }
  }

  @Override
  public AddResult addWaiting(Operator... ops) {
    List<List<Operator>> entries;
    try {
      entries = MergePair.entries(ops);
    } catch (IllegalArgumentException e) {
      LOG.error("merge operator should be paired: {}", e.getMessage());
      return AddResult.refused(e.getMessage());
    }
    if (entries.isEmpty()) {
      return AddResult.refused("no operator given");
    }
    List<String> refusals = new ArrayList<>();
    admission.lock();
    try {
      long now = clock.millis();
      for (List<Operator> entry : entries) {
        AdmissionChecks.Refusal r = checks.checkAdd(entry, now, waiting::count);
        if (r != null) {
          refuse(entry, r, now);
          refusals.add(r.text());
          continue;
        }
        waiting.put(entry);
        metrics.event(entry.get(0).desc(), "put");
      }
      promoteWaiting();
    } finally {
      admission.unlock();
    }
    return refusals.isEmpty() ? AddResult.OK : AddResult.refused(String.join("; ", refusals));
  }

  private void refuse(List<Operator> entry, AdmissionChecks.Refusal r, long now) {
    if (r.reason() == null) {
      return; // left as they are: the caller may offer them again
    }
    for (Operator op : entry) {
      if (op.status() == OpStatus.CREATED) {
        op.cancel(r.reason(), now);
      }
      if (op.isEnd()) {
        burial.bury(op, now);
      }
    }
  }

  /** Starts waiting operators while the limits allow (PD's {@code PromoteWaitingOperator}). */
  private void promoteWaiting() {
    admission.lock();
    try {
      while (true) {
        List<Operator> entry = waiting.poll(e -> checks.checkScheduleLimit(e) == null);
        if (entry == null) {
          return;
        }
        long now = clock.millis();
        metrics.event(entry.get(0).desc(), "get");
        AdmissionChecks.Refusal r = checks.checkAdd(entry, now, null);
        if (r == null) {
          r = checks.checkStoreLimit(entry, now);
        }
        if (r != null) {
          metrics.event(entry.get(0).desc(), "check-failed");
          refuse(entry, r, now);
          continue;
        }
        for (Operator op : entry) {
          if (!start(op, now)) {
            break;
          }
        }
      }
    } finally {
      admission.unlock();
    }
  }

  /** PD's {@code addOperatorInner}: replaces the old one, starts, takes tokens, sends. */
  private boolean start(Operator op, long now) {
    long id = op.regionId();
    LOG.info("add operator region-id={} operator=\"{}\" additional-info={}",
        id, op, op.additionalInfo());
    Running old = running.get(id);
    if (old != null && takeOut(old)) {
      old.op.replace(now);
      burial.bury(old.op, now);
    }
    if (!op.start(now)) {
      LOG.error("adding operator with unexpected status region-id={} status={} operator=\"{}\"",
          id, op.status(), op);
      metrics.event(op.desc(), "unexpected");
      return false;
    }
    Running r = new Running(op);
    running.put(id, r);
    counter(op).incrementAndGet();
    metrics.event(op.desc(), "start");
    metrics.regionSize(op.desc(), op.approximateSize());
    checks.takeStoreLimits(op, now);
    RegionInfo region = cluster.region(id);
    OpStep step = null;
    boolean sent = false;
    if (region != null) {
      step = op.check(region, now);
      if (step != null) {
        sent = sender.send(region, step, "create");
      }
    }
    r.nextPushMillis = sent || step == null ? Running.nextPush(step, now) : now;
    metrics.event(op.desc(), "create");
    return true;
  }

  private AtomicLong counter(Operator op) {
    OpKind k = op.schedulerKind();
    return k == null ? unkinded : counts.get(k);
  }

  // ---- dispatch ----

  @Override
  public void dispatch(RegionInfo region, DispatchSource source) {
    Running r = running.get(region.id());
    if (r != null) {
      dispatch(r, region, source, clock.millis());
    }
  }

  private void dispatch(Running r, RegionInfo region, DispatchSource source, long now) {
    Operator op = r.op;
    OpStep step = op.check(region, now);
    observeSteps(r);
    switch (op.status()) {
      case STARTED -> {
        metrics.event(op.desc(), "check");
        if (step == null || checkStale(op, step, region, source, now)) {
          return;
        }
        if (!sender.send(region, step, source == DispatchSource.HEARTBEAT ? "heartbeat" : "push")) {
          r.nextPushMillis = now; // no stream: try again on the next tick
        }
      }
      case SUCCESS -> {
        if (takeOut(r)) {
          burial.bury(op, now);
          metrics.event(op.desc(), "promote-success");
          promoteWaiting();
        }
      }
      case TIMEOUT -> {
        if (takeOut(r)) {
          burial.bury(op, now);
          metrics.event(op.desc(), "promote-timeout");
          promoteWaiting();
        }
      }
      default -> {
        // CREATED and EXPIRED never run; CANCELED and REPLACED left running before the change.
      }
    }
  }

  /** Records the duration of every step that finished since the last look. */
  private void observeSteps(Running r) {
    Operator op = r.op;
    int done = op.currentStepIndex();
    int from = r.observedSteps.getAndAccumulate(done, Math::max);
    for (int i = from; i < done; i++) {
      long finish = op.stepFinishMillis(i);
      if (finish != 0) {
        metrics.stepFinished(op.step(i).typeName(), finish - op.stepStartMillis(i));
      }
    }
  }

  /** Cancels the operator when {@link StaleCheck} finds it stale; true when it did. */
  private boolean checkStale(
      Operator op, OpStep step, RegionInfo region, DispatchSource source, long now) {
    StaleCheck.Verdict v = StaleCheck.judge(op, step, region, source == DispatchSource.HEARTBEAT);
    if (v == null) {
      return false;
    }
    if (v.event() != null) {
      metrics.event(op.desc(), v.event());
    }
    LOG.info("operator is stale region-id={} {}", op.regionId(), v.detail());
    return cancelRunning(op, v.reason(), now, "promote-stale");
  }

  // ---- push tick ----

  /**
   * The push tick (PD's {@code PushOperators}), run every 500 ms by the server's scheduled
   * executor while this member leads: drops expired waiting operators, re-checks the running
   * operators whose push is due against the cached region (re-sending their step, timing them
   * out, ending those whose region disappeared), promotes waiting ones, prunes old records.
   */
  public void pushOperators() {
    long now = clock.millis();
    expireWaiting(now);
    for (Running r : running.values()) {
      if (now < r.nextPushMillis) {
        continue;
      }
      RegionInfo region = cluster.region(r.op.regionId());
      if (region == null) {
        regionGone(r, now);
        continue;
      }
      OpStep current = r.op.currentStepIndex() < r.op.len()
          ? r.op.step(r.op.currentStepIndex()) : null;
      r.nextPushMillis = Running.nextPush(current, now);
      dispatch(r, region, DispatchSource.PUSH, now);
    }
    promoteWaiting();
    records.prune(now);
  }

  private void expireWaiting(long now) {
    List<List<Operator>> expired;
    admission.lock();
    try {
      expired = waiting.removeIf(entry -> {
        boolean any = false;
        for (Operator op : entry) {
          any |= op.checkExpired(now);
        }
        return any;
      });
    } finally {
      admission.unlock();
    }
    for (List<Operator> entry : expired) {
      for (Operator op : entry) {
        if (!op.isEnd()) {
          op.cancel(CancelReason.EXPIRED, now);
        }
        burial.bury(op, now);
      }
    }
  }

  /** The region left the cache: a finished merge source, or a region PD lost track of. */
  private void regionGone(Running r, long now) {
    Operator op = r.op;
    MergeRegion active = MergePair.active(op);
    if (active != null) {
      Running passive = running.get(active.toRegion().getId());
      RegionInfo target = cluster.region(active.toRegion().getId());
      if (passive != null && target != null) {
        dispatch(passive, target, DispatchSource.PUSH, now); // may finish the pair
      }
      if (running.get(op.regionId()) != r) {
        return;
      }
    }
    metrics.event(op.desc(), "not-found");
    if (takeOut(r)) {
      if (op.cancel(CancelReason.REGION_NOT_FOUND, now)) {
        LOG.warn("remove operator because region disappeared region-id={} operator=\"{}\"",
            op.regionId(), op);
        metrics.event(op.desc(), "disappear");
      }
      burial.bury(op, now);
      promoteWaiting();
    }
  }

  // ---- removal ----

  @Override
  public boolean remove(long regionId, CancelReason reason) {
    Running r = running.get(regionId);
    if (r == null) {
      return false;
    }
    return cancelRunning(r.op, reason, clock.millis(), null);
  }

  @Override
  public int removeAll(CancelReason reason) {
    long now = clock.millis();
    List<List<Operator>> dropped;
    admission.lock();
    try {
      dropped = waiting.removeIf(e -> true);
    } finally {
      admission.unlock();
    }
    for (List<Operator> entry : dropped) {
      for (Operator op : entry) {
        op.cancel(reason, now);
        burial.bury(op, now);
      }
    }
    int n = 0;
    for (Running r : running.values()) {
      if (takeOut(r)) {
        r.op.cancel(reason, now);
        burial.bury(r.op, now);
        n++;
      }
    }
    return n;
  }

  /** Takes the running operator out, cancels and buries it, promotes; false if already out. */
  private boolean cancelRunning(Operator op, CancelReason reason, long now, String event) {
    Running r = running.get(op.regionId());
    if (r == null || r.op != op || !takeOut(r)) {
      return false;
    }
    if (op.cancel(reason, now)) {
      LOG.info("operator removed region-id={} takes={}ms operator=\"{}\"",
          op.regionId(), OperatorBurial.runningMillis(op, now), op);
    }
    burial.bury(op, now);
    if (event != null) {
      metrics.event(op.desc(), event);
    }
    promoteWaiting();
    return true;
  }

  /**
   * Takes the entry out of {@code running}; only the caller that wins does the accounting. A
   * merge operator takes its partner with it ("related merge region").
   */
  private boolean takeOut(Running r) {
    Operator op = r.op;
    // Recorded before it leaves running (the burial records it again with its end time), so
    // GetOperator never finds neither between the two.
    records.put(op, clock.millis());
    if (!running.remove(op.regionId(), r)) {
      return false;
    }
    counter(op).decrementAndGet();
    metrics.event(op.desc(), "remove");
    if (op.hasKind(OpKind.MERGE)) {
      long related = MergePair.related(op);
      Running other = related == 0 ? null : running.get(related);
      if (other != null && other.op.hasKind(OpKind.MERGE) && other.op.status() != OpStatus.CANCELED
          && takeOut(other)) {
        long now = clock.millis();
        LOG.info("operator canceled related merge region region-id={} additional-info={} "
            + "takes={}ms", other.op.regionId(), other.op.additionalInfo(),
            OperatorBurial.runningMillis(other.op, now));
        other.op.cancel(CancelReason.RELATED_MERGE_REGION, now);
        burial.bury(other.op, now);
      }
    }
    return true;
  }

  // ---- reads ----

  @Override
  public Optional<Operator> get(long regionId) {
    Running r = running.get(regionId);
    return r == null ? Optional.empty() : Optional.of(r.op);
  }

  @Override
  public Optional<Operator> getWithRecord(long regionId) {
    Running r = running.get(regionId);
    if (r != null) {
      return Optional.of(r.op);
    }
    return Optional.ofNullable(records.get(regionId, clock.millis()));
  }

  @Override
  public List<Operator> running() {
    List<Operator> ops = new ArrayList<>(running.size());
    for (Running r : running.values()) {
      ops.add(r.op);
    }
    return ops;
  }

  /** The waiting operators, highest priority first. */
  public List<Operator> waitingOperators() {
    admission.lock();
    try {
      return waiting.list();
    } finally {
      admission.unlock();
    }
  }

  @Override
  public List<Operator> records(long fromMillis) {
    return records.since(fromMillis, clock.millis());
  }

  /**
   * Why adding the operator now would be refused for a store limit ("exceed store limit: store 4
   * add-peer ..."), or null. Takes no tokens and counts nothing: the checkers' dry run asks this.
   */
  public String storeLimitExceeded(Operator op) {
    AdmissionChecks.Refusal r = checks.checkStoreLimit(List.of(op), clock.millis(), false);
    return r == null ? null : r.text();
  }

  /**
   * Whether the store's add-peer limit has the tokens for one more peer of a region this size now
   * (the checkers pass over a store without them); takes none.
   */
  public boolean addPeerAvailable(long storeId, long regionSizeMiB) {
    return checks.addPeerAvailable(storeId, regionSizeMiB, clock.millis());
  }

  @Override
  public long count(OpKind kind) {
    return counts.get(kind).get();
  }

  @Override
  public OpInfluence influence() {
    OpInfluence inf = new OpInfluence();
    for (Running r : running.values()) {
      if (r.op.isEnd()) {
        continue;
      }
      RegionInfo region = cluster.region(r.op.regionId());
      if (region != null) {
        r.op.unfinishedInfluence(inf, region);
      }
    }
    return inf;
  }

  @Override
  public String toString() {
    return "OperatorController{running=" + running.size() + "}";
  }
}
