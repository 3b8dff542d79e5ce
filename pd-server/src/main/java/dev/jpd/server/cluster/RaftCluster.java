package dev.jpd.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jpd.core.region.HeartbeatResult;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.region.RegionsInfo;
import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.KeyValue;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.Operation;
import dev.jpd.core.storage.PdKeys;
import dev.jpd.core.storage.RegionStorage;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStates;
import dev.jpd.core.store.StoresInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as the PD leader sees it (PD's {@code RaftCluster}): its bootstrap state, the stores
 * and the region cache, and the rules for changing them.
 *
 * <p>Durability: cluster meta and stores are written to the {@link MetaStore} before a call
 * returns, so what a client was told is stored survives a kill -9. Region metadata goes to the
 * write-behind {@link RegionStorage}; a region lost from it is reported again by its leader
 * within one heartbeat interval.
 *
 * <p>Locking: store writes (rare) are serialized on {@code this}; region heartbeats do not take
 * it — the region cache has its own, finer locking. Store heartbeats take it only to save the
 * store's metadata with its last heartbeat time, at most every {@link
 * StoreStates#PERSIST_INTERVAL} per store (PD's {@code storePersistInterval}), re-reading the
 * metadata under the lock so that a concurrent state change is never overwritten. That save is
 * synchronous, as in PD: a slow MetaStore delays one heartbeat per store every five minutes (and
 * any store write queued behind it), never a region heartbeat.
 */
public final class RaftCluster {
  private static final Logger LOG = LoggerFactory.getLogger(RaftCluster.class);

  private final long clusterId;
  private final MetaStore meta;
  private final PdKeys keys;
  private final RegionStorage regionStorage;
  private final Clock clock;
  private final StoresInfo stores = new StoresInfo();
  private final RegionsInfo regions = new RegionsInfo();
  private volatile Metapb.Cluster clusterMeta; // null until bootstrapped
  private volatile ClusterListener listener = ClusterListener.NONE;
  private volatile Consumer<long[]> splitObserver = ids -> { };
  private volatile Consumer<StoreInfo> storeHeartbeatObserver = s -> { };
  /** Store id to when a heartbeat last saved its metadata (epoch millis); absent: not yet. */
  private final Map<Long, Long> storePersistedAt = new ConcurrentHashMap<>();

  public RaftCluster(
      long clusterId, MetaStore meta, RegionStorage regionStorage, Clock clock) {
    this.clusterId = clusterId;
    this.meta = meta;
    this.keys = new PdKeys(clusterId);
    this.regionStorage = regionStorage;
    this.clock = clock;
  }

  public long clusterId() {
    return clusterId;
  }

  public PdKeys keys() {
    return keys;
  }

  /** Who hears about region and store changes (region statistics); one listener. */
  void setListener(ClusterListener l) {
    listener = l;
  }

  /**
   * Who hears of the regions a store asked to split (the original and the new ids), so the merge
   * checker leaves them alone for {@code split-merge-interval}; one observer.
   */
  public void onSplitAsked(Consumer<long[]> observer) {
    splitObserver = observer;
  }

  /**
   * Who hears of every applied store heartbeat, after the cluster's own listener, free to change
   * the store's state (the store lifecycle buries a drained store); one observer.
   */
  public void onStoreHeartbeat(Consumer<StoreInfo> observer) {
    storeHeartbeatObserver = observer;
  }

  void splitAsked(long[] regionIds) {
    splitObserver.accept(regionIds);
  }

  /** Loads cluster meta, stores and regions from storage; called once at start. */
  public void load() {
    clusterMeta = meta.get(keys.clusterMeta()).map(v -> parse(keys.clusterMeta(), v, Metapb.Cluster.parser())).orElse(null);
    for (KeyValue kv : meta.scanPrefix(keys.storePrefix(), 0)) {
      Metapb.Store s = parse(kv.key(), kv.value(), Metapb.Store.parser());
      stores.put(StoreInfo.of(s));
    }
    // The bootstrap region lives in the MetaStore; every later version in the region storage.
    // Loading through the heartbeat rules keeps the newest version of any overlapping pair.
    for (KeyValue kv : meta.scanPrefix(keys.regionPrefix(), 0)) {
      loadRegion(parse(kv.key(), kv.value(), Metapb.Region.parser()));
    }
    regionStorage.loadAll(this::loadRegion);
    LOG.info(
        "cluster loaded cluster-id={} bootstrapped={} stores={} regions={}",
        Long.toUnsignedString(clusterId),
        clusterMeta != null,
        stores.count(),
        regions.size());
  }

  private void loadRegion(Metapb.Region r) {
    regions.handleHeartbeat(RegionInfo.fromMeta(r, null));
  }

  public boolean isBootstrapped() {
    return clusterMeta != null;
  }

  /** When the cluster was bootstrapped (unix nanos, PD's raft_bootstrap_time), or empty. */
  public Optional<Long> bootstrapTimeNanos() {
    return meta.get(keys.bootstrapTime()).map(v -> Bytes8.decode(keys.bootstrapTime(), v));
  }

  /** Whether BR marked the cluster as being restored from a snapshot. */
  public boolean isSnapshotRecovering() {
    return meta.get(keys.snapshotRecoveringMarker()).isPresent();
  }

  /** The cluster meta; fails with NOT_BOOTSTRAPPED before bootstrap. */
  public Metapb.Cluster clusterMeta() {
    Metapb.Cluster c = clusterMeta;
    if (c == null) {
      throw new PdException(Pdpb.ErrorType.NOT_BOOTSTRAPPED, "cluster is not bootstrapped");
    }
    return c;
  }

  /**
   * Bootstraps the cluster with its first store and region, in one transaction guarded by the
   * absence of the cluster meta, so two racing bootstraps cannot both succeed.
   */
  public synchronized void bootstrap(Metapb.Store store, Metapb.Region region, int maxReplicas) {
    if (clusterMeta != null) {
      throw new PdException(Pdpb.ErrorType.ALREADY_BOOTSTRAPPED, "cluster is already bootstrapped");
    }
    BootstrapCheck.validate(store, region);
    Metapb.Cluster c =
        Metapb.Cluster.newBuilder().setId(clusterId).setMaxPeerCount(maxReplicas).build();
    long nowNanos = clock.millis() * 1_000_000L;
    boolean ok =
        meta.txn(
            List.of(Condition.absent(keys.clusterMeta())),
            List.of(
                Operation.put(keys.clusterMeta(), c.toByteArray()),
                Operation.put(keys.bootstrapTime(), Bytes8.encode(nowNanos)),
                Operation.put(keys.store(store.getId()), store.toByteArray()),
                Operation.put(keys.region(region.getId()), region.toByteArray())));
    if (!ok) {
      throw new PdException(Pdpb.ErrorType.ALREADY_BOOTSTRAPPED, "cluster is already bootstrapped");
    }
    clusterMeta = c;
    stores.put(StoreInfo.of(store));
    RegionInfo first = RegionInfo.fromMeta(region, region.getPeers(0));
    regions.putRegion(first);
    listener.regionUpdated(first, List.of());
    LOG.info(
        "bootstrap cluster ok cluster-id={} store-id={} region-id={}",
        Long.toUnsignedString(clusterId),
        store.getId(),
        region.getId());
  }

  /** Replaces the cluster meta (PutClusterConfig); its id must be this cluster's. */
  public synchronized void putClusterMeta(Metapb.Cluster c) {
    clusterMeta();
    if (c.getId() != clusterId) {
      throw PdException.unknown(
          "invalid cluster "
              + Long.toUnsignedString(c.getId())
              + ", mismatch cluster id "
              + Long.toUnsignedString(clusterId));
    }
    meta.put(keys.clusterMeta(), c.toByteArray());
    clusterMeta = c;
  }

  // ---- stores ----

  public StoresInfo stores() {
    return stores;
  }

  public Optional<StoreInfo> getStore(long storeId) {
    return Optional.ofNullable(stores.get(storeId));
  }

  /**
   * Registers a store or updates its address, labels and version (PutStore). A tombstone store
   * cannot come back, and an address may not be registered twice while the other store lives.
   */
  public synchronized void putStore(Metapb.Store store) {
    clusterMeta();
    if (store.getId() == 0) {
      throw PdException.unknown("invalid store id 0");
    }
    if (store.getAddress().isEmpty()) {
      throw PdException.unknown("invalid store " + store.getId() + ": empty address");
    }
    StoreInfo old = stores.get(store.getId());
    if (old != null && old.meta().getState() == Metapb.StoreState.Tombstone) {
      throw new PdException(
          Pdpb.ErrorType.STORE_TOMBSTONE, "store " + store.getId() + " is tombstone");
    }
    for (StoreInfo other : stores.all()) {
      Metapb.Store m = other.meta();
      if (m.getId() != store.getId()
          && m.getAddress().equals(store.getAddress())
          && m.getState() != Metapb.StoreState.Tombstone
          && !m.getPhysicallyDestroyed()) {
        throw PdException.unknown(
            "duplicated store address: "
                + store.getAddress()
                + ", already registered by store "
                + m.getId());
      }
    }
    Metapb.Store merged;
    if (old == null) {
      merged = store.toBuilder().setLastHeartbeat(clock.millis() * 1_000_000L).build();
    } else {
      // The store reports what it is; the PD decides its state.
      merged =
          old.meta().toBuilder()
              .setAddress(store.getAddress())
              .setPeerAddress(store.getPeerAddress())
              .setStatusAddress(store.getStatusAddress())
              .setVersion(store.getVersion())
              .setGitHash(store.getGitHash())
              .setDeployPath(store.getDeployPath())
              .setStartTimestamp(store.getStartTimestamp())
              .clearLabels()
              .addAllLabels(store.getLabelsList())
              .build();
    }
    meta.put(keys.store(merged.getId()), merged.toByteArray());
    if (old == null) {
      stores.put(StoreInfo.of(merged));
    } else {
      stores.update(merged.getId(), cur -> cur.withMeta(merged));
    }
    LOG.info(
        "{} store-id={} address={} version={}",
        old == null ? "put store: new store" : "put store: store updated",
        merged.getId(),
        merged.getAddress(),
        merged.getVersion());
  }

  /** Records a store heartbeat's statistics; the store must be known and not a tombstone. */
  public StoreInfo storeHeartbeat(Pdpb.StoreStats stats) {
    clusterMeta();
    long id = stats.getStoreId();
    StoreInfo old = stores.get(id);
    if (old == null) {
      throw PdException.unknown("store " + id + " not found");
    }
    if (old.meta().getState() == Metapb.StoreState.Tombstone) {
      throw new PdException(Pdpb.ErrorType.STORE_TOMBSTONE, "store " + id + " is tombstone");
    }
    long now = clock.millis();
    // Atomic on the current snapshot: a metadata change made meanwhile (under the lock) is kept.
    StoreInfo updated = stores.update(id, cur -> cur.withStats(stats, now));
    if (updated == null) {
      throw PdException.unknown("store " + id + " not found");
    }
    if (StoreStates.needsPersist(now, storePersistedAt.getOrDefault(id, 0L))) {
      updated = persistLastHeartbeat(id, now, updated);
    }
    listener.storeHeartbeat(old, updated);
    storeHeartbeatObserver.accept(updated);
    return updated;
  }

  /**
   * Saves the store's current metadata with last_heartbeat = {@code nowMillis} (nanoseconds in
   * the proto, as PD). A storage failure is logged and retried on the next heartbeat: the
   * heartbeat itself has succeeded.
   */
  private synchronized StoreInfo persistLastHeartbeat(long id, long nowMillis, StoreInfo fallback) {
    StoreInfo cur = stores.get(id);
    if (cur == null || cur.isTombstone()) {
      return fallback;
    }
    Metapb.Store m = cur.meta().toBuilder().setLastHeartbeat(nowMillis * 1_000_000L).build();
    try {
      meta.put(keys.store(id), m.toByteArray());
    } catch (MetaStoreException e) {
      LOG.warn("failed to persist store store-id={} error=\"{}\"", id, e.getMessage());
      return cur;
    }
    StoreInfo saved = stores.update(id, c -> c.withMeta(m));
    storePersistedAt.put(id, nowMillis);
    return saved == null ? fallback : saved;
  }

  /**
   * Sets a store's state (Up, Offline, Tombstone) and its paired node state, persisted before
   * returning. The full lifecycle (Removing drains to Tombstone, checks on how many stores must
   * remain) builds on this.
   */
  public synchronized StoreInfo setStoreState(long storeId, Metapb.StoreState state) {
    StoreInfo old = stores.get(storeId);
    if (old == null) {
      throw PdException.unknown("store " + storeId + " not found");
    }
    Metapb.NodeState node =
        switch (state) {
          case Up -> Metapb.NodeState.Serving;
          case Offline -> Metapb.NodeState.Removing;
          case Tombstone -> Metapb.NodeState.Removed;
          default -> throw PdException.unknown("invalid store state " + state);
        };
    Metapb.Store m = old.meta().toBuilder().setState(state).setNodeState(node).build();
    meta.put(keys.store(storeId), m.toByteArray());
    StoreInfo updated = stores.update(storeId, cur -> cur.withMeta(m));
    if (state == Metapb.StoreState.Tombstone) {
      LOG.warn(
          "store has been Tombstone store-id={} store-address={} state={} physically-destroyed={}",
          storeId, m.getAddress(), old.meta().getState(), m.getPhysicallyDestroyed());
    } else {
      LOG.info("store state changed store-id={} from={} to={}", storeId, old.meta().getState(), state);
    }
    listener.storeChanged(storeId);
    return updated;
  }

  /**
   * Replaces a store's metadata with {@code change.apply(current)}, persisted before returning
   * (labels, physically-destroyed flag, state changes made by the store lifecycle).
   */
  public synchronized StoreInfo updateStoreMeta(long storeId, UnaryOperator<Metapb.Store> change) {
    StoreInfo old = stores.get(storeId);
    if (old == null) {
      throw PdException.unknown("store " + storeId + " not found");
    }
    Metapb.Store m = change.apply(old.meta());
    meta.put(keys.store(storeId), m.toByteArray());
    StoreInfo updated = stores.update(storeId, cur -> cur.withMeta(m));
    listener.storeChanged(storeId);
    return updated;
  }

  /** Deletes a Tombstone store's record from storage and the cache. */
  public synchronized void deleteTombstoneStore(long storeId) {
    StoreInfo old = stores.get(storeId);
    if (old == null || !old.isTombstone()) {
      throw PdException.unknown("store " + storeId + " is not Tombstone");
    }
    meta.delete(keys.store(storeId));
    stores.remove(storeId);
    storePersistedAt.remove(storeId);
    LOG.info("delete store store-id={} address={}", storeId, old.address());
  }

  /** The lowest version among live stores: what the cluster as a whole can do. */
  public String clusterVersion() {
    String min = "";
    for (StoreInfo s : stores.all()) {
      String v = s.meta().getVersion();
      if (s.meta().getState() == Metapb.StoreState.Tombstone || v.isEmpty()) {
        continue;
      }
      if (min.isEmpty() || Versions.compare(v, min) < 0) {
        min = v;
      }
    }
    return min;
  }

  /** Whether every live store speaks ConfChangeV2 (TiKV 5.0 and later), PD's cluster feature. */
  public boolean supportsConfChangeV2() {
    String v = clusterVersion();
    return !v.isEmpty() && Versions.compare(v, "5.0.0") >= 0;
  }

  // ---- regions ----

  public RegionsInfo regions() {
    return regions;
  }

  /**
   * Applies a validated region heartbeat: the triage decides whether the cache and the region
   * storage change. A stale report changes nothing and is refused with the reason.
   */
  public HeartbeatResult handleRegionHeartbeat(RegionInfo region) {
    HeartbeatResult r = regions.handleHeartbeat(region);
    if (r.decision().stale()) {
      throw PdException.unknown(r.decision().staleReason());
    }
    for (RegionInfo gone : r.overlaps()) {
      regionStorage.delete(gone.id());
      LOG.info("remove overlapped region region-id={} by region-id={}", gone.id(), region.id());
    }
    listener.regionUpdated(r.region(), r.overlaps());
    if (r.decision().saveKv()) {
      regionStorage.save(region.meta());
    }
    for (String event : r.decision().events()) {
      LOG.info("{} region-id={}", event, region.id());
    }
    return r;
  }

  /**
   * Checks a region a store asks about (split requests): it must be known by its start key and
   * not older than the cached one.
   */
  public RegionInfo validateRegion(Metapb.Region region) {
    RegionInfo current = regions.getRegionByKey(region.getStartKey());
    if (current == null) {
      throw PdException.unknown("region not found, request region: " + RegionText.of(region));
    }
    Metapb.RegionEpoch e = region.getRegionEpoch();
    if (e.getVersion() < current.version() || e.getConfVer() < current.confVer()) {
      throw PdException.unknown(
          "invalid region epoch, request: "
              + RegionText.epoch(e)
              + ", current: version "
              + current.version()
              + " conf_ver "
              + current.confVer());
    }
    return current;
  }

  public void flushRegions() {
    regionStorage.flush();
  }

  private static <T> T parse(String key, byte[] value, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new MetaStoreException("corrupt metadata under " + key, e);
    }
  }
}
