package dev.jpd.server.cluster;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.PdKeys;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStates;
import dev.jpd.proto.Metapb;
import dev.jpd.server.config.LiveConfig;
import dev.jpd.server.config.PdConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store lifecycle as PD runs it (see {@link StoreStates} for the diagram): taking stores
 * offline and back up, burying drained stores, purging Tombstone records, labels and weights,
 * and the periodic {@link #checkStores} (every 10 s in production; tests call it directly with an
 * injected clock).
 *
 * <p>Every change is checked first and refused with the reason when it would break a rule
 * (nothing changed then), persisted before returning (through {@link RaftCluster}) and logged in
 * PD's words: "store has been offline", "store has been up", "store has changed to serving",
 * "store has been Tombstone".
 *
 * <p>Locking: the public methods are synchronized, so a removal's "enough Up stores remain"
 * check and its write are atomic against other removals and the store check.
 */
public final class StoreLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(StoreLifecycle.class);
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);

  private final RaftCluster cluster;
  private final MetaStore meta;
  private final LiveConfig config;
  private final ClusterHealth health;
  private final List<Runnable> afterCheck = new ArrayList<>();
  private final List<LongConsumer> afterBury = new ArrayList<>();
  private ScheduledFuture<?> task;

  public StoreLifecycle(
      RaftCluster cluster, MetaStore meta, LiveConfig config, ClusterHealth health) {
    this.cluster = cluster;
    this.meta = meta;
    this.config = config;
    this.health = health;
  }

  /** Also run {@code r} after each store check (metrics collection). */
  public synchronized StoreLifecycle afterEachCheck(Runnable r) {
    afterCheck.add(r);
    return this;
  }

  /** Also run {@code r} with a store's id once it is buried (its store limits go, as in PD). */
  public synchronized StoreLifecycle afterEachBurial(LongConsumer r) {
    afterBury.add(r);
    return this;
  }

  /** Runs {@link #checkStores} every {@code interval} on {@code executor} until {@link #stop}. */
  public synchronized void start(ScheduledExecutorService executor, Duration interval) {
    long ms = interval.toMillis();
    task = executor.scheduleWithFixedDelay(this::checkSafely, ms, ms, TimeUnit.MILLISECONDS);
  }

  public synchronized void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void checkSafely() {
    try {
      checkStores();
    } catch (RuntimeException e) {
      LOG.warn("store check failed: {}", e.toString(), e);
    }
  }

  // ---- state changes ----

  /**
   * Takes a store offline (PD's {@code RemoveStore}, {@code DELETE /store/{id}}): it becomes
   * Offline/Removing and its regions are moved away; {@code physicallyDestroyed} says the machine
   * is gone for good (its address may then be reused). Refused when fewer than max-replicas Up
   * stores would remain. Taking an Offline store offline again only adds the destroyed flag.
   */
  public synchronized StoreInfo removeStore(long storeId, boolean physicallyDestroyed) {
    StoreInfo s = require(storeId);
    Metapb.Store m = s.meta();
    String err = StoreStates.transitionError(storeId, m.getState(), Metapb.StoreState.Offline);
    if (err != null) {
      throw new StoreStateException(err);
    }
    if (m.getState() == Metapb.StoreState.Offline && (m.getPhysicallyDestroyed() || !physicallyDestroyed)) {
      return s;
    }
    if (m.getState() == Metapb.StoreState.Up) {
      long up = upStoresExcept(storeId);
      long want = config.current().replication().maxReplicas();
      if (up < want) {
        throw new StoreStateException(
            "can not remove store " + storeId + " since the number of up stores would be " + up
                + " while need " + want);
      }
    }
    StoreInfo updated =
        cluster.updateStoreMeta(
            storeId,
            old -> old.toBuilder()
                .setState(Metapb.StoreState.Offline)
                .setNodeState(Metapb.NodeState.Removing)
                .setPhysicallyDestroyed(old.getPhysicallyDestroyed() || physicallyDestroyed)
                .build());
    LOG.warn("store has been offline store-id={} store-address={} physically-destroyed={}",
        storeId, m.getAddress(), updated.meta().getPhysicallyDestroyed());
    return updated;
  }

  private long upStoresExcept(long storeId) {
    return cluster.stores().all().stream()
        .filter(s -> s.id() != storeId)
        .filter(s -> s.meta().getState() == Metapb.StoreState.Up)
        .filter(s -> !s.meta().getPhysicallyDestroyed())
        .count();
  }

  /**
   * Cancels a removal (PD's {@code UpStore}, {@code POST /store/{id}/state?state=Up}): an Offline
   * store becomes Up/Serving again. Refused for Tombstone and physically destroyed stores.
   */
  public synchronized StoreInfo upStore(long storeId) {
    StoreInfo s = require(storeId);
    Metapb.Store m = s.meta();
    String err = StoreStates.transitionError(storeId, m.getState(), Metapb.StoreState.Up);
    if (err != null) {
      throw new StoreStateException(err);
    }
    if (m.getPhysicallyDestroyed()) {
      throw new StoreStateException(
          "store " + storeId + " is physically destroyed and can not be up again");
    }
    if (m.getState() == Metapb.StoreState.Up) {
      return s;
    }
    StoreInfo updated = cluster.setStoreState(storeId, Metapb.StoreState.Up);
    LOG.warn("store has been up store-id={} store-address={}", storeId, m.getAddress());
    return updated;
  }

  /**
   * PD's {@code checkStores}: Preparing stores that are ready start serving; Removing stores that
   * hold no region become Tombstone; derived states (Disconnected, Down) are refreshed for the
   * region statistics. Then the after-check hooks run (metrics).
   */
  public synchronized void checkStores() {
    PdConfig cfg = config.current();
    List<RegionInfo> regions = cluster.regions().all();
    long totalSize = regions.stream().mapToLong(RegionInfo::approximateSize).sum();
    List<StoreInfo> stores = cluster.stores().all();
    int live = (int) stores.stream().filter(s -> !s.isTombstone()).count();
    long threshold =
        StoreStates.servingThresholdMiB(totalSize, cfg.replication().maxReplicas(), live);
    for (StoreInfo s : stores) {
      Metapb.Store m = s.meta();
      if (m.getState() == Metapb.StoreState.Up && m.getNodeState() == Metapb.NodeState.Preparing) {
        long size = cluster.regions().regionSize(s.id());
        if (StoreStates.readyToServe(
            s, cfg.schedule().maxStorePreparingTime(), regions.size(), size, threshold)) {
          cluster.setStoreState(s.id(), Metapb.StoreState.Up);
          LOG.info("store has changed to serving store-id={} store-address={}", s.id(), s.address());
        }
      } else {
        buryIfDrained(s);
      }
    }
    health.refreshStoreStates();
    for (Runnable r : afterCheck) {
      r.run();
    }
  }

  /**
   * Beyond PD: a store heartbeat from a draining store that holds no region any more buries it at
   * once, instead of at the next store check (up to 10 s later, as in PD).
   */
  public void storeHeartbeatSeen(StoreInfo s) {
    if (s.meta().getState() == Metapb.StoreState.Offline
        && cluster.regions().regionCount(s.id()) == 0) {
      synchronized (this) {
        StoreInfo cur = cluster.stores().get(s.id());
        if (cur != null) {
          buryIfDrained(cur);
        }
      }
    }
  }

  /** A Removing (Offline) store holding no region becomes Tombstone. Called with the lock. */
  private void buryIfDrained(StoreInfo s) {
    if (s.meta().getState() == Metapb.StoreState.Offline
        && cluster.regions().regionCount(s.id()) == 0) {
      cluster.setStoreState(s.id(), Metapb.StoreState.Tombstone);
      for (LongConsumer r : afterBury) {
        r.accept(s.id());
      }
    }
  }

  /** Deletes every Tombstone store's record ({@code DELETE /stores/remove-tombstone}). */
  public synchronized List<Long> removeTombstones() {
    List<Long> removed = new ArrayList<>();
    for (StoreInfo s : cluster.stores().all()) {
      if (s.isTombstone() && cluster.regions().regionCount(s.id()) == 0) {
        cluster.deleteTombstoneStore(s.id());
        meta.delete(weightKey(s.id(), "leader"));
        meta.delete(weightKey(s.id(), "region"));
        health.storeChanged(s.id());
        removed.add(s.id());
      }
    }
    return removed;
  }

  // ---- labels and weights ----

  /**
   * Sets labels on a store: merged into its labels, or replacing them all when {@code replace}
   * ({@code ?force=true}). TiKV re-sends its configured labels when it restarts, as with PD.
   */
  public synchronized StoreInfo setLabels(long storeId, Map<String, String> labels, boolean replace) {
    requireNotTombstone(storeId);
    return cluster.updateStoreMeta(storeId, old -> {
      Map<String, String> merged = new java.util.TreeMap<>();
      if (!replace) {
        old.getLabelsList().forEach(l -> merged.put(l.getKey(), l.getValue()));
      }
      merged.putAll(labels);
      Metapb.Store.Builder b = old.toBuilder().clearLabels();
      merged.forEach((k, v) -> b.addLabels(Metapb.StoreLabel.newBuilder().setKey(k).setValue(v)));
      return b.build();
    });
  }

  /** Deletes one label; refused naming the key when the store has no such label. */
  public synchronized StoreInfo deleteLabel(long storeId, String key) {
    StoreInfo s = requireNotTombstone(storeId);
    if (s.meta().getLabelsList().stream().noneMatch(l -> l.getKey().equals(key))) {
      throw new StoreStateException("store " + storeId + " has no label \"" + key + "\"");
    }
    return cluster.updateStoreMeta(storeId, old -> {
      Metapb.Store.Builder b = old.toBuilder().clearLabels();
      old.getLabelsList().stream().filter(l -> !l.getKey().equals(key)).forEach(b::addLabels);
      return b.build();
    });
  }

  /** Sets and persists the leader and region weights (PD's {@code schedule/store_weight/...}). */
  public synchronized StoreInfo setWeights(long storeId, double leader, double region) {
    requireNotTombstone(storeId);
    meta.put(weightKey(storeId, "leader"), fmt(leader));
    meta.put(weightKey(storeId, "region"), fmt(region));
    StoreInfo updated = cluster.stores().update(storeId, s -> s.withWeights(leader, region));
    LOG.info("store weight changed store-id={} leader-weight={} region-weight={}", storeId, leader, region);
    return updated;
  }

  /** Reads the persisted weights of every known store (at start). */
  public synchronized void loadWeights() {
    for (StoreInfo s : cluster.stores().all()) {
      Optional<Double> leader = readWeight(s.id(), "leader");
      Optional<Double> region = readWeight(s.id(), "region");
      if (leader.isPresent() || region.isPresent()) {
        cluster.stores().update(
            s.id(), x -> x.withWeights(leader.orElse(1.0), region.orElse(1.0)));
      }
    }
  }

  private Optional<Double> readWeight(long storeId, String kind) {
    return meta.get(weightKey(storeId, kind))
        .map(b -> Double.parseDouble(new String(b, StandardCharsets.UTF_8)));
  }

  private String weightKey(long storeId, String kind) {
    return cluster.keys().root() + "/schedule/store_weight/" + PdKeys.pad(storeId) + "/" + kind;
  }

  private static byte[] fmt(double v) {
    return Double.toString(v).getBytes(StandardCharsets.UTF_8);
  }

  private StoreInfo require(long storeId) {
    StoreInfo s = cluster.stores().get(storeId);
    if (s == null) {
      throw new StoreNotFoundException(storeId);
    }
    return s;
  }

  private StoreInfo requireNotTombstone(long storeId) {
    StoreInfo s = require(storeId);
    if (s.isTombstone()) {
      throw new StoreStateException("store " + storeId + " is Tombstone");
    }
    return s;
  }

  /** The store id is not known. */
  public static final class StoreNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreNotFoundException(long storeId) {
      super("store " + storeId + " not found", null, false, false);
    }
  }

  /** A state change the rules refuse; the message says why. Nothing was changed. */
  public static final class StoreStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreStateException(String message) {
      super(message, null, false, false);
    }
  }
}
