package dev.jpd.checker;

import dev.jpd.core.operator.BuilderCluster;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.region.RegionsInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStates;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.core.store.StoresInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@link CheckerCluster} over the region cache and the store cache, as the server wires it.
 * Store states are derived at each call from the last heartbeat and the config; silence is
 * counted from no earlier than {@code watchingSinceMillis} (PD start), as the store-state
 * classifier does. Labels, hot regions and store limits come through {@code seams}.
 */
public final class CacheCheckerCluster implements CheckerCluster {
  private final RegionsInfo regions;
  private final StoresInfo stores;
  private final Supplier<CheckerConfig> config;
  private final LongSupplier peerIds;
  private final BooleanSupplier jointConsensus;
  private final Clock clock;
  private final long watchingSinceMillis;
  private final ClusterSeams seams;
  private static final int CLASSIFIED_SLOTS = 256;
  /**
   * Last classification per store, direct-mapped by the low bits of the store id (a collision only
   * costs a classification). Entries are immutable records with final fields, so a racy read of a
   * slot sees a whole entry or an older one; each is checked against the store snapshot.
   */
  private final ClassifiedStore[] classified = new ClassifiedStore[CLASSIFIED_SLOTS];

  /**
   * @param config the current checker config, read on every call
   * @param peerIds the cluster's id allocator, for new peers
   * @param jointConsensus whether {@code enable-joint-consensus} is on and the cluster speaks it
   * @param watchingSinceMillis when this PD started watching stores (start or leader change)
   * @param seams labels, hot regions and store limits; {@code new ClusterSeams() {}} for none
   */
  public CacheCheckerCluster(RegionsInfo regions, StoresInfo stores,
      Supplier<CheckerConfig> config, LongSupplier peerIds, BooleanSupplier jointConsensus,
      Clock clock, long watchingSinceMillis, ClusterSeams seams) {
    this.regions = Objects.requireNonNull(regions);
    this.stores = Objects.requireNonNull(stores);
    this.config = Objects.requireNonNull(config);
    this.peerIds = Objects.requireNonNull(peerIds);
    this.jointConsensus = Objects.requireNonNull(jointConsensus);
    this.clock = Objects.requireNonNull(clock);
    this.watchingSinceMillis = watchingSinceMillis;
    this.seams = Objects.requireNonNull(seams);
  }

  @Override
  public CheckerConfig config() {
    return config.get();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public RegionInfo region(long regionId) {
    return regions.getRegion(regionId);
  }

  @Override
  public List<RegionInfo> scanRegions(byte[] startKey, byte[] endKey, int limit) {
    return regions.scanRegions(startKey, endKey, limit);
  }

  @Override
  public RegionInfo nextRegion(RegionInfo region) {
    if (region.endKey().isEmpty()) {
      return null;
    }
    RegionInfo next = regions.getRegionByKey(region.endKey());
    return next != null && next.startKey().equals(region.endKey()) ? next : null;
  }

  @Override
  public RegionInfo prevRegion(RegionInfo region) {
    if (region.startKey().isEmpty()) {
      return null;
    }
    return regions.getPrevRegion(region.startKey());
  }

  @Override
  public int regionCount() {
    return regions.size();
  }

  /** Counts by a scan of the cache: cheap enough for the prepare check, which stops once passed. */
  @Override
  public int reportedRegionCount() {
    int n = 0;
    for (RegionInfo r : regions.all()) {
      if (!r.loadedFromStorage()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public long[] storeRegionIds(long storeId) {
    long[] leaders = regions.leaderRegionIds(storeId);
    long[] followers = regions.followerRegionIds(storeId);
    long[] learners = regions.learnerRegionIds(storeId);
    long[] all = new long[leaders.length + followers.length + learners.length];
    System.arraycopy(leaders, 0, all, 0, leaders.length);
    System.arraycopy(followers, 0, all, leaders.length, followers.length);
    System.arraycopy(learners, 0, all, leaders.length + followers.length, learners.length);
    return all;
  }

  @Override
  public long storeRegionSize(long storeId) {
    return regions.regionSize(storeId);
  }

  @Override
  public int storePendingPeerCount(long storeId) {
    return regions.pendingPeerCount(storeId);
  }

  @Override
  public List<StoreInfo> stores() {
    return stores.all();
  }

  @Override
  public StoreStatus storeStatus(long storeId) {
    StoreInfo s = stores.get(storeId);
    return s == null ? null : storeStatus(s);
  }

  /**
   * Classifies the store, reusing the last answer for the same snapshot, clock millisecond and
   * {@code max-store-down-time}: classification is a pure function of those, and a patrol tick
   * asks about the same few stores thousands of times. A new store snapshot (heartbeat, state
   * change, label change), a clock tick or a config change misses the cache.
   */
  @Override
  public StoreStatus storeStatus(StoreInfo s) {
    long now = clock.millis();
    Duration maxDown = config().maxStoreDownTime();
    int slot = (int) (s.id() & (CLASSIFIED_SLOTS - 1));
    ClassifiedStore c = classified[slot];
    if (c != null && c.store == s && c.now == now && c.maxDown.equals(maxDown)) {
      return c.status;
    }
    StoreStatus st = StoreStates.classify(s, now, maxDown, watchingSinceMillis);
    classified[slot] = new ClassifiedStore(s, now, maxDown, st);
    return st;
  }

  /** One cached classification; immutable, so readers on any thread see a whole entry. */
  private record ClassifiedStore(StoreInfo store, long now, Duration maxDown, StoreStatus status) {}

  @Override
  public boolean lowSpace(StoreInfo store) {
    return StoreStates.lowSpace(store, config().lowSpaceRatio(), regions.size());
  }

  @Override
  public StoreInfo store(long storeId) {
    return stores.get(storeId);
  }

  @Override
  public long labelsVersion() {
    return stores.labelsVersion();
  }

  @Override
  public long allocPeerId() {
    return peerIds.getAsLong();
  }

  @Override
  public boolean jointConsensus() {
    return jointConsensus.getAsBoolean();
  }

  @Override
  public boolean isStoreDown(long storeId) {
    StoreStatus s = storeStatus(storeId);
    return s != null && s.down();
  }

  @Override
  public boolean allowLeaderOn(StoreInfo store) {
    if (!BuilderCluster.isUp(store)) {
      return false;
    }
    StoreStatus s = storeStatus(store.id());
    return s != null && !s.disconnected();
  }

  @Override
  public List<String> locationLabels() {
    return config().locationLabels();
  }

  @Override
  public boolean scheduleDenied(RegionInfo region) {
    return seams.scheduleDenied(region);
  }

  @Override
  public boolean mergeDenied(RegionInfo region, RegionInfo adjacent) {
    return seams.mergeDenied(region, adjacent);
  }

  @Override
  public List<byte[]> labelSplitKeys(RegionInfo region) {
    return seams.labelSplitKeys(region);
  }

  @Override
  public boolean isHot(RegionInfo region) {
    return seams.isHot(region);
  }

  @Override
  public String storeLimitExceeded(Operator op) {
    return seams.storeLimitExceeded(op);
  }

  @Override
  public boolean addPeerAvailable(long storeId, long regionSizeMiB) {
    return seams.addPeerAvailable(storeId, regionSizeMiB);
  }
}
