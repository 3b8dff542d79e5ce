package dev.jpd.checker;

import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.OpInfluence;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.region.RegionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator controller as the checkers see it, recording: {@code addWaiting} accepts (and the
 * operators run, so that the region is skipped and counted against limits) unless told to refuse.
 * Like the real controller, {@code get} and {@code count} read concurrent maps without a lock
 * (patrol workers ask them for every region); changes are made under this object's lock.
 */
public final class RecordingOperators implements Operators {
  private final Map<Long, Operator> running = new ConcurrentHashMap<>();
  private final List<Operator> added = new ArrayList<>();
  private final Map<OpKind, Long> extraCount = new ConcurrentHashMap<>();
  private final Map<OpKind, Long> runningCount = new ConcurrentHashMap<>();
  private String refuse;

  /** Refuse every addWaiting with this reason (null accepts again). */
  public RecordingOperators refuse(String reason) {
    refuse = reason;
    return this;
  }

  /** Pretend {@code n} more operators of the kind run. */
  public RecordingOperators running(OpKind kind, long n) {
    extraCount.put(kind, n);
    return this;
  }

  public synchronized List<Operator> added() {
    return List.copyOf(added);
  }

  public synchronized void finish(long regionId) {
    Operator op = running.remove(regionId);
    if (op != null && op.schedulerKind() != null) {
      runningCount.merge(op.schedulerKind(), -1L, Long::sum);
    }
  }

  public synchronized void finishAll() {
    running.clear();
    runningCount.clear();
  }

  @Override
  public synchronized AddResult add(Operator... ops) {
    return addWaiting(ops);
  }

  @Override
  public synchronized AddResult addWaiting(Operator... ops) {
    if (refuse != null) {
      return AddResult.refused(refuse);
    }
    for (Operator op : ops) {
      added.add(op);
      Operator old = running.put(op.regionId(), op);
      if (old != null && old.schedulerKind() != null) {
        runningCount.merge(old.schedulerKind(), -1L, Long::sum);
      }
      if (op.schedulerKind() != null) {
        runningCount.merge(op.schedulerKind(), 1L, Long::sum);
      }
    }
    return AddResult.OK;
  }

  @Override
  public void dispatch(RegionInfo region, DispatchSource source) {}

  @Override
  public Optional<Operator> get(long regionId) {
    return Optional.ofNullable(running.get(regionId));
  }

  @Override
  public Optional<Operator> getWithRecord(long regionId) {
    return get(regionId);
  }

  @Override
  public synchronized List<Operator> running() {
    return List.copyOf(running.values());
  }

  @Override
  public List<Operator> records(long fromMillis) {
    return List.of();
  }

  @Override
  public synchronized boolean remove(long regionId, CancelReason reason) {
    boolean had = running.containsKey(regionId);
    finish(regionId);
    return had;
  }

  @Override
  public synchronized int removeAll(CancelReason reason) {
    int n = running.size();
    finishAll();
    return n;
  }

  @Override
  public long count(OpKind kind) {
    return extraCount.getOrDefault(kind, 0L) + runningCount.getOrDefault(kind, 0L);
  }

  @Override
  public OpInfluence influence() {
    throw new UnsupportedOperationException("not used by the checkers");
  }
}
