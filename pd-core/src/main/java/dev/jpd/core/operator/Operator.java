package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One operator: the steps that change one region, what produced them, and how far they got
 * (PD's {@code Operator}).
 *
 * <p>Design note. The description, region, epoch, kinds, priority and steps never change. The
 * progress does: the index of the current step only moves forward and is advanced by {@link
 * #check} from what the region reports; the status moves along {@link OpStatus}'s table and
 * nowhere else. Heartbeats of one region may be handled on different threads, so the step index
 * and finish times are updated atomically (VarHandles on plain fields, not Atomic* objects: one
 * operator is built per region when a store goes down) and status transitions are synchronized;
 * none of it blocks.
 *
 * <p>Timeouts are per step, counted from when the previous step finished (or the operator
 * started) and sized by the region's approximate size when the operator was made, so a large
 * region's snapshot never times out only because it is large. Time is passed in by the caller.
 */
public final class Operator {
  /** An operator not started within this long after creation expires (PD's 3 s). */
  public static final Duration EXPIRE_TIME = Duration.ofSeconds(3);

  private final String desc;
  private final String brief;
  private final long regionId;
  private final Metapb.RegionEpoch epoch;
  private final int kinds;
  private final long approximateSize;
  private final Priority priority;
  private final List<OpStep> steps;
  private final long createMillis;

  private static final VarHandle CURRENT_STEP;
  private static final VarHandle FINISH_MILLIS = MethodHandles.arrayElementVarHandle(long[].class);

  static {
    try {
      CURRENT_STEP =
          MethodHandles.lookup().findVarHandle(Operator.class, "currentStep", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int currentStep; // only grows, by CURRENT_STEP
  private final long[] stepFinishMillis; // each 0 until set once, by FINISH_MILLIS
  // OpStatus's table is a path (CREATED, maybe STARTED, maybe one final status), so two times
  // record every status reached; -1 until then, as reachedMillis reports it.
  private long startedMillis = -1; // guarded by this
  private long endedMillis = -1; // guarded by this
  private final Map<String, String> additionalInfo = new ConcurrentHashMap<>();
  private OpStatus status = OpStatus.CREATED; // guarded by this
  private volatile CancelReason cancelReason;

  /**
   * A new operator in CREATED. Operators of kind {@link OpKind#ADMIN} are always {@link
   * Priority#URGENT}.
   */
  public Operator(
      String desc,
      String brief,
      long regionId,
      Metapb.RegionEpoch epoch,
      int kinds,
      long approximateSize,
      Priority priority,
      List<? extends OpStep> steps,
      long createMillis) {
    this.desc = desc;
    this.brief = brief;
    this.regionId = regionId;
    this.epoch = epoch;
    this.kinds = kinds;
    this.approximateSize = approximateSize;
    this.priority = OpKind.ADMIN.in(kinds) ? Priority.URGENT : priority;
    this.steps = List.copyOf(steps);
    this.createMillis = createMillis;
    this.stepFinishMillis = new long[this.steps.size()];
  }

  public String desc() {
    return desc;
  }

  public String brief() {
    return brief;
  }

  public long regionId() {
    return regionId;
  }

  /** The region's epoch when the operator was made. */
  public Metapb.RegionEpoch epoch() {
    return epoch;
  }

  public int kinds() {
    return kinds;
  }

  public boolean hasKind(OpKind k) {
    return k.in(kinds);
  }

  /** The kind the operator is counted under: its lowest kind bit. */
  public OpKind schedulerKind() {
    return OpKind.schedulerKind(kinds);
  }

  public long approximateSize() {
    return approximateSize;
  }

  public Priority priority() {
    return priority;
  }

  public List<OpStep> steps() {
    return steps;
  }

  public int len() {
    return steps.size();
  }

  public OpStep step(int i) {
    return steps.get(i);
  }

  /** Index of the first step not yet seen finished; {@link #len()} when all are. */
  public int currentStepIndex() {
    return currentStep;
  }

  public long createMillis() {
    return createMillis;
  }

  /** Extra facts for logs and the API (e.g. the store a replica moved from). */
  public Map<String, String> additionalInfo() {
    return additionalInfo;
  }

  // ---- status ----

  public synchronized OpStatus status() {
    return status;
  }

  public synchronized boolean isEnd() {
    return status.isEnd();
  }

  /** When the status was reached (unix millis), or -1. */
  public synchronized long reachedMillis(OpStatus s) {
    return switch (s) {
      case CREATED -> createMillis;
      case STARTED -> startedMillis;
      default -> s == status ? endedMillis : -1;
    };
  }

  public long startMillis() {
    return reachedMillis(OpStatus.STARTED);
  }

  /** Why it was canceled, or null. */
  public CancelReason cancelReason() {
    return cancelReason;
  }

  private synchronized boolean to(OpStatus next, long nowMillis) {
    if (!status.canMoveTo(next)) {
      return false;
    }
    status = next;
    if (next == OpStatus.STARTED) {
      startedMillis = nowMillis;
    } else {
      endedMillis = nowMillis;
    }
    return true;
  }

  /** CREATED → STARTED; false if it was not CREATED. */
  public boolean start(long nowMillis) {
    return to(OpStatus.STARTED, nowMillis);
  }

  /** → CANCELED with the reason; false if it had already ended. */
  public boolean cancel(CancelReason reason, long nowMillis) {
    synchronized (this) {
      if (!to(OpStatus.CANCELED, nowMillis)) {
        return false;
      }
      cancelReason = reason;
      return true;
    }
  }

  /** STARTED → REPLACED by a higher-priority operator. */
  public boolean replace(long nowMillis) {
    return to(OpStatus.REPLACED, nowMillis);
  }

  /** CREATED for {@link #EXPIRE_TIME} or longer → EXPIRED; true if it expired now. */
  public synchronized boolean checkExpired(long nowMillis) {
    return status == OpStatus.CREATED
        && nowMillis - createMillis >= EXPIRE_TIME.toMillis()
        && to(OpStatus.EXPIRED, nowMillis);
  }

  // ---- progress ----

  /**
   * Advances past every step the region shows finished and returns the step to work on, or null
   * when there is none (all finished, or the operator ended). A started operator whose steps are
   * all finished moves to SUCCESS; one whose current step ran past its timeout to TIMEOUT.
   */
  public OpStep check(RegionInfo region, long nowMillis) {
    if (isEnd()) {
      return null;
    }
    OpStep result = null;
    for (int i = currentStep; i < steps.size(); i++) {
      if (steps.get(i).isFinish(region)) {
        FINISH_MILLIS.compareAndSet(stepFinishMillis, i, 0L, nowMillis);
        advanceCurrentStep(i + 1);
      } else {
        result = steps.get(i);
        break;
      }
    }
    checkTimeout(nowMillis);
    return result;
  }

  /** STARTED with every step finished → SUCCESS; true if it succeeded now. */
  public boolean checkSuccess(long nowMillis) {
    return currentStep >= steps.size() && status() == OpStatus.STARTED
        && to(OpStatus.SUCCESS, nowMillis);
  }

  /**
   * SUCCESS if every step finished; otherwise TIMEOUT if the current step has run longer than
   * its timeout. True only if it timed out now.
   */
  public boolean checkTimeout(long nowMillis) {
    if (checkSuccess(nowMillis) || status() != OpStatus.STARTED) {
      return false;
    }
    int i = currentStep;
    if (i >= steps.size()) {
      return false;
    }
    long since = stepStartMillis(i);
    if (nowMillis - since > steps.get(i).timeout(approximateSize).toMillis()) {
      return to(OpStatus.TIMEOUT, nowMillis);
    }
    return false;
  }

  /** When step i began: when the step before it finished, or when the operator started. */
  public long stepStartMillis(int i) {
    long start = startMillis();
    for (int j = i - 1; j >= 0; j--) {
      long f = (long) FINISH_MILLIS.getVolatile(stepFinishMillis, j);
      if (f != 0) {
        return Math.max(f, start);
      }
    }
    return start;
  }

  /** When step i was seen finished (unix millis), or 0. */
  public long stepFinishMillis(int i) {
    return (long) FINISH_MILLIS.getVolatile(stepFinishMillis, i);
  }

  /** Raises the current step index to at least {@code next}. */
  private void advanceCurrentStep(int next) {
    int cur;
    while ((cur = currentStep) < next && !CURRENT_STEP.compareAndSet(this, cur, next)) {
      // another thread moved it; look again
    }
  }

  /**
   * How much the steps up to and including the current one have moved conf_ver in the reported
   * region: the current step may have taken effect in this very heartbeat.
   */
  public long confVerChanged(RegionInfo region) {
    int current = Math.min(currentStep, steps.size() - 1);
    long total = 0;
    for (int i = 0; i <= current; i++) {
      total += steps.get(i).confVerChanged(region);
    }
    return total;
  }

  /** Adds the influence of the steps not yet finished. */
  public void unfinishedInfluence(OpInfluence influence, RegionInfo region) {
    for (int i = currentStep; i < steps.size(); i++) {
      steps.get(i).influence(influence, region);
    }
  }

  /** Adds the influence of every step (what the operator costs in store limits). */
  public void totalInfluence(OpInfluence influence, RegionInfo region) {
    for (OpStep s : steps) {
      s.influence(influence, region);
    }
  }

  /** The sum of the step timeouts: the longest the operator may run. */
  public Duration timeout() {
    Duration total = Duration.ZERO;
    for (OpStep s : steps) {
      total = total.plus(s.timeout(approximateSize));
    }
    return total;
  }

  /** PD's log form: desc, brief, kinds, region and epoch, progress and steps. */
  @Override
  public String toString() {
    List<String> s = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      s.add(i + ":{" + steps.get(i) + "}");
    }
    return desc + " {" + brief + "} (kind:" + OpKind.toString(kinds) + ", region:" + regionId
        + "(" + epoch.getVersion() + ", " + epoch.getConfVer() + "), priority:" + priority.pdName()
        + ", currentStep:" + currentStep + ", size:" + approximateSize + ", steps:["
        + String.join(", ", s) + "], timeout:[" + timeout().toSeconds() + "s]) status:" + status();
  }
}
