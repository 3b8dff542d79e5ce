package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.LimitType;
import dev.jpd.core.operator.OpInfluence;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStatus;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storelimit.StoreLimit;
import dev.jpd.core.storelimit.StoreLimits;
import dev.jpd.proto.Metapb;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks an operator passes before it starts (PD's {@code checkAddOperator} and {@code
 * ExceedStoreLimit}, plus the per-kind schedule limits), and the store-limit tokens it takes when
 * it does. Pure reads of the cluster, the config and the controller's state, except for {@link
 * #takeStoreLimits} and the expiry that {@link #checkAdd} may record on an operator. The
 * controller calls it under its admission lock.
 */
final class AdmissionChecks {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorController.class);

  /** Why operators were not admitted: the reason they are canceled with (null: left as they are). */
  record Refusal(CancelReason reason, String text) {}

  private final ControllerCluster cluster;
  private final Supplier<? extends ControllerConfig> config;
  private final StoreLimits storeLimits;
  private final OperatorMetrics metrics;
  private final LongFunction<Operator> runningOp;
  private final ToLongFunction<OpKind> count;

  AdmissionChecks(
      ControllerCluster cluster,
      Supplier<? extends ControllerConfig> config,
      StoreLimits storeLimits,
      OperatorMetrics metrics,
      LongFunction<Operator> runningOp,
      ToLongFunction<OpKind> count) {
    this.cluster = cluster;
    this.config = config;
    this.storeLimits = storeLimits;
    this.metrics = metrics;
    this.runningOp = runningOp;
    this.count = count;
  }

  /**
   * PD's {@code checkAddOperator}: the region is known with the operator's epoch, no running
   * operator of equal or higher priority, the operator is CREATED, the description's waiting
   * queue has room (when queuing), and none has expired.
   *
   * @param waitingCount waiting entries per description when the entry is to be queued; null
   *     when it starts now or is being promoted from the queue
   */
  Refusal checkAdd(List<Operator> entry, long now, ToIntFunction<String> waitingCount) {
    for (Operator op : entry) {
      long id = op.regionId();
      RegionInfo region = cluster.region(id);
      if (region == null) {
        metrics.event(op.desc(), "not-found");
        return new Refusal(CancelReason.REGION_NOT_FOUND, "region " + id + " not found");
      }
      Metapb.RegionEpoch e = op.epoch();
      if (region.version() != e.getVersion() || region.confVer() != e.getConfVer()) {
        metrics.event(op.desc(), "epoch-not-match");
        return new Refusal(CancelReason.EPOCH_NOT_MATCH, "region " + id + " epoch (version "
            + region.version() + ", conf_ver " + region.confVer() + ") does not match the "
            + "operator's (version " + e.getVersion() + ", conf_ver " + e.getConfVer()
            + "): build the operator again from the current region");
      }
      Operator old = runningOp.apply(id);
      if (old != null && op.priority().compareTo(old.priority()) <= 0) {
        metrics.event(op.desc(), "already-have");
        return new Refusal(CancelReason.ALREADY_EXIST, "region " + id + " already has operator "
            + old.desc() + " of priority " + old.priority().pdName() + ", not lower than "
            + op.priority().pdName());
      }
      if (op.status() != OpStatus.CREATED) {
        metrics.event(op.desc(), "unexpected-status");
        return new Refusal(null, "operator " + op.desc() + " on region " + id + " is "
            + op.status() + ", only a CREATED operator can be added");
      }
      int max = config.get().maxWaitingOperator();
      if (waitingCount != null && waitingCount.applyAsInt(op.desc()) >= max) {
        metrics.event(op.desc(), "exceed-max-waiting");
        return new Refusal(CancelReason.EXCEED_WAIT_LIMIT, "exceed max waiting operators: "
            + waitingCount.applyAsInt(op.desc()) + " " + op.desc() + " operators wait, "
            + "scheduler-max-waiting-operator is " + max);
      }
    }
    boolean expired = false;
    for (Operator op : entry) {
      if (op.checkExpired(now)) {
        expired = true;
        metrics.event(op.desc(), "expired");
      }
    }
    return expired ? new Refusal(CancelReason.EXPIRED, "operator expired: not started within "
        + Operator.EXPIRE_TIME.toSeconds() + "s of its creation") : null;
  }

  /** The kind's schedule limit, for operators that are neither admin nor urgent. */
  Refusal checkScheduleLimit(List<Operator> entry) {
    ControllerConfig cfg = config.get();
    Map<OpKind, Long> adding = new EnumMap<>(OpKind.class);
    for (Operator op : entry) {
      OpKind kind = op.schedulerKind();
      if (kind == null || op.hasKind(OpKind.ADMIN) || op.priority() == Priority.URGENT) {
        continue;
      }
      long limit = cfg.scheduleLimit(kind);
      long n = count.applyAsLong(kind) + adding.getOrDefault(kind, 0L);
      Operator old = runningOp.apply(op.regionId());
      if (old != null && old.schedulerKind() == kind) {
        n--; // replacing one of the same kind leaves the count as it is
      }
      if (n >= limit) {
        metrics.scheduleLimit(op.desc(), kind.pdName());
        return new Refusal(null, "exceed schedule limit: " + n + " " + kind.pdName()
            + " operators are running and " + ControllerConfig.scheduleLimitKey(kind) + " is "
            + limit);
      }
      adding.merge(kind, 1L, Long::sum);
    }
    return null;
  }

  /** PD's {@code ExceedStoreLimit}: every store's step costs must be available; urgent bypass. */
  Refusal checkStoreLimit(List<Operator> entry, long now) {
    return checkStoreLimit(entry, now, true);
  }

  /** As above; {@code count} false for a dry run, which must not show in the metrics. */
  Refusal checkStoreLimit(List<Operator> entry, long now, boolean count) {
    if (entry.get(0).priority() == Priority.URGENT) {
      return null;
    }
    OpInfluence inf = totalInfluence(entry);
    for (Map.Entry<Long, OpInfluence.StoreInfluence> e : inf.all().entrySet()) {
      long storeId = e.getKey();
      for (LimitType t : LimitType.values()) {
        long cost = e.getValue().stepCost(t);
        if (cost == 0) {
          continue;
        }
        StoreLimit limit = storeLimit(storeId, t, now);
        if (limit != null && !limit.available(cost, now)) {
          if (count) {
            metrics.exceededStoreLimit(entry.get(0).desc());
            metrics.event(entry.get(0).desc(), "exceed-limit");
          }
          return new Refusal(CancelReason.EXCEED_STORE_LIMIT, "exceed store limit: store "
              + storeId + " " + t.pdName() + " needs " + cost + " tokens, "
              + (long) limit.tokens(now) + " available at " + limit.ratePerMinute()
              + " per minute");
        }
      }
    }
    return null;
  }

  /** Whether one add-peer step of a region this size fits the store's bucket now; takes none. */
  boolean addPeerAvailable(long storeId, long regionSizeMiB, long now) {
    StoreLimit limit = storeLimit(storeId, LimitType.ADD_PEER, now);
    return limit == null || limit.available(LimitType.stepCost(regionSizeMiB), now);
  }

  OpInfluence totalInfluence(List<Operator> ops) {
    OpInfluence inf = new OpInfluence();
    for (Operator op : ops) {
      RegionInfo region = cluster.region(op.regionId());
      if (region != null) {
        op.totalInfluence(inf, region);
      }
    }
    return inf;
  }

  /** The store's bucket at the configured rate; unlimited remove-peer while it drains. */
  StoreLimit storeLimit(long storeId, LimitType t, long now) {
    if (cluster.store(storeId) == null) {
      return null; // as PD: an unknown store does not block
    }
    double rate = t == LimitType.REMOVE_PEER && cluster.isRemoving(storeId)
        ? StoreLimit.UNLIMITED
        : config.get().storeLimitPerMinute(storeId, t);
    return storeLimits.get(storeId, t, rate, now);
  }

  void takeStoreLimits(Operator op, long now) {
    OpInfluence inf = totalInfluence(List.of(op));
    for (Map.Entry<Long, OpInfluence.StoreInfluence> e : inf.all().entrySet()) {
      for (LimitType t : LimitType.values()) {
        long cost = e.getValue().stepCost(t);
        if (cost == 0) {
          continue;
        }
        StoreLimit limit = storeLimit(e.getKey(), t, now);
        if (limit == null) {
          LOG.info("missing store store-id={}", e.getKey());
          continue;
        }
        limit.take(cost, now);
        metrics.storeLimitCost(e.getKey(), t.pdName(), (double) cost / LimitType.REGION_INFLUENCE);
      }
    }
  }
}
