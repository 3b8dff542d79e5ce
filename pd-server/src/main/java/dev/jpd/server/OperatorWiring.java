package dev.jpd.server;

import dev.jpd.core.operator.LimitType;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.config.LiveConfig;
import dev.jpd.server.config.ScheduleConfig;
import dev.jpd.server.grpc.HeartbeatStreams;
import dev.jpd.scheduler.operator.ControllerCluster;
import dev.jpd.scheduler.operator.ControllerConfig;
import dev.jpd.scheduler.operator.OperatorController;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator controller, wired to the server: it reads regions and stores from the cluster
 * cache, the schedule limits and store limits from the live config (so {@code /config} and
 * {@code /stores/limit} changes apply to the next decision), sends on the heartbeat streams, and
 * re-sends the current steps on PD's push tick (500 ms, {@code coordinator.go}) on the server's
 * background executor until {@link #close}.
 */
final class OperatorWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorWiring.class);
  /** PD's {@code PushOperatorTickInterval}. */
  static final Duration PUSH_INTERVAL = Duration.ofMillis(500);

  private final OperatorController controller;
  private final ScheduledFuture<?> push;

  OperatorWiring(
      RaftCluster cluster,
      LiveConfig config,
      HeartbeatStreams streams,
      Clock clock,
      MeterRegistry metrics,
      ScheduledExecutorService background) {
    controller =
        new OperatorController(
            new ClusterView(cluster),
            () -> new LiveLimits(config, cluster),
            streams::send,
            cluster::clusterId,
            clock,
            metrics);
    push =
        background.scheduleWithFixedDelay(
            this::pushOnce, PUSH_INTERVAL.toMillis(), PUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  Operators operators() {
    return controller;
  }

  /** Why the operator would exceed a store limit now, or null (the checkers' dry run). */
  String storeLimitExceeded(Operator op) {
    return controller.storeLimitExceeded(op);
  }

  /** Whether the store's add-peer limit can take one more peer of a region this size now. */
  boolean addPeerAvailable(long storeId, long regionSizeMiB) {
    return controller.addPeerAvailable(storeId, regionSizeMiB);
  }

  /** Forgets a buried store's store-limit buckets (PD's {@code RemoveStoreLimit}). */
  void storeBuried(long storeId) {
    controller.storeLimits().removeStore(storeId);
  }

  /** Operators queued by priority, not started yet (for {@code /operators?kind=waiting}). */
  List<Operator> waiting() {
    return controller.waitingOperators();
  }

  private void pushOnce() {
    try {
      controller.pushOperators();
    } catch (RuntimeException e) {
      // A failed tick must not cancel the schedule: the next one tries again.
      LOG.warn("push operators failed: {}", e.toString(), e);
    }
  }

  @Override
  public void close() {
    push.cancel(false);
  }

  /** Regions and stores as the cluster caches them. */
  private record ClusterView(RaftCluster cluster) implements ControllerCluster {
    @Override
    public RegionInfo region(long regionId) {
      return cluster.regions().getRegion(regionId);
    }

    @Override
    public StoreInfo store(long storeId) {
      return cluster.stores().get(storeId);
    }
  }

  /** The live {@code [schedule]} limits; built per decision, so always the current config. */
  private static final class LiveLimits implements ControllerConfig {
    private final ScheduleConfig s;
    private final RaftCluster cluster;

    LiveLimits(LiveConfig config, RaftCluster cluster) {
      this.s = config.current().schedule();
      this.cluster = cluster;
    }

    @Override
    public long scheduleLimit(OpKind kind) {
      return switch (kind) {
        case LEADER -> s.leaderScheduleLimit();
        case REGION -> s.regionScheduleLimit();
        case REPLICA -> s.replicaScheduleLimit();
        case MERGE -> s.mergeScheduleLimit();
        case HOT_REGION -> s.hotRegionScheduleLimit();
        case WITNESS -> s.witnessScheduleLimit();
        default -> ControllerConfig.defaultScheduleLimit(kind);
      };
    }

    @Override
    public double storeLimitPerMinute(long storeId, LimitType type) {
      ScheduleConfig.StoreLimit l = s.storeLimit().getOrDefault(storeId, s.defaultStoreLimit());
      return type == LimitType.ADD_PEER ? l.addPeer() : l.removePeer();
    }

    @Override
    public int maxWaitingOperator() {
      return (int) Math.min(Integer.MAX_VALUE, s.schedulerMaxWaitingOperator());
    }

    @Override
    public boolean useConfChangeV2() {
      return cluster.supportsConfChangeV2();
    }
  }
}
