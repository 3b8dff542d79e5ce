package dev.jpd.server.cluster;

import dev.jpd.core.operator.BuilderCluster;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStates;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.server.config.LiveConfig;
import dev.jpd.server.id.IdAllocator;
import java.time.Clock;
import java.util.List;

/**
 * What the operator builder sees of the server: stores from the cluster, peer ids from the id
 * allocator, joint consensus when {@code enable-joint-consensus} is on and every store speaks
 * ConfChangeV2, store health by the live {@code max-store-down-time}.
 */
public final class BuilderClusterView implements BuilderCluster {
  private final RaftCluster cluster;
  private final IdAllocator ids;
  private final LiveConfig config;
  private final Clock clock;
  private final long watchingSinceMillis;

  /** Store silence is counted from no earlier than now: a PD just started gives a grace period. */
  public BuilderClusterView(RaftCluster cluster, IdAllocator ids, LiveConfig config, Clock clock) {
    this.cluster = cluster;
    this.ids = ids;
    this.config = config;
    this.clock = clock;
    this.watchingSinceMillis = clock.millis();
  }

  @Override
  public StoreInfo store(long storeId) {
    return cluster.stores().get(storeId);
  }

  @Override
  public long allocPeerId() {
    return ids.alloc(1);
  }

  @Override
  public boolean jointConsensus() {
    return config.current().schedule().enableJointConsensus() && cluster.supportsConfChangeV2();
  }

  @Override
  public boolean isStoreDown(long storeId) {
    StoreInfo s = store(storeId);
    return s != null && status(s).down();
  }

  /** Up, heard from within 20 s, not down: PD's store-state filter for new leaders. */
  @Override
  public boolean allowLeaderOn(StoreInfo store) {
    if (!BuilderCluster.isUp(store)) {
      return false;
    }
    StoreStatus st = status(store);
    return !st.disconnected() && !st.down();
  }

  @Override
  public List<String> locationLabels() {
    return config.current().replication().locationLabels();
  }

  private StoreStatus status(StoreInfo s) {
    return StoreStates.classify(
        s, clock.millis(), config.current().schedule().maxStoreDownTime(), watchingSinceMillis);
  }
}
