package dev.jpd.checker.patrol;

import com.google.protobuf.ByteString;
import dev.jpd.checker.CacheCheckerCluster;
import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.CheckerConfig;
import dev.jpd.checker.ClusterSeams;
import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.OpInfluence;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.region.RegionsInfo;
import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoresInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Runs the repair path once on a private synthetic cluster, so that the JIT has compiled it
 * before a real store fails.
 *
 * <p><b>Why.</b> A daemon that has watched a healthy cluster for days has only the "settled
 * region" path of the patrol compiled. When a store turns Down, every one of its regions goes
 * through code that has never run: the rule (or replica) checker's fix steps, the store search of
 * {@code ReplicaStrategy}, the operator builder and step planner, the operator itself. The first
 * burst then runs interpreted or at C1 while C2 compiles it on the other core: measured at
 * 1.6–2.2 s for 150,000 regions on two cores, against 0.7–1.1 s once compiled. C2 wants some
 * 10–15 thousand calls of a method before it compiles it, so this runs that many repairs.
 *
 * <p><b>What it exercises.</b> The real classes, wired as the daemon wires them: a {@link
 * RegionsInfo} and a {@link StoresInfo} behind a {@link CacheCheckerCluster}, a {@link
 * RuleManager} over a {@link MemoryMetaStore}, {@link CheckerChain#standard} with the rule
 * checker (placement rules on, the daemon's default) and then without it (the replica checker),
 * and a {@link PatrolService} whose ticks are driven here. {@value #DEFAULT_REGIONS} regions, 3
 * replicas over 12 stores in 3 zones ({@code location-labels = ["zone"]}), limits lifted. One
 * store turns Down and one Offline (both in zone {@code z0}, so no region has a peer on both);
 * the patrol is told through {@link PatrolService#storeChanged} and ticked until its urgent list
 * is empty, once with placement rules on and once with them off: every region of either store
 * gets a replace-down or replace-offline operator, {@code DEFAULT_REGIONS} operators in all.
 * Leaders rotate over the three peers, so leader and follower variants both run.
 *
 * <p><b>What it never touches.</b> Nothing of the real cluster: it takes no argument from it.
 * Its caches, clock (fixed), peer ids (a private counter), rules (an in-memory store), metrics
 * (a private {@link SimpleMeterRegistry}) and operator sink (counts, and the running operator of
 * each region so the patrol moves on, as the controller would) are its own and are garbage when
 * {@link #run()} returns. The patrol is never started (no executor task, no "patrol regions
 * started" log line); its ticks run on the caller's thread. Only the time it takes is measured,
 * with the JVM's ticker.
 */
public final class RepairWarmup {
  static final int DEFAULT_REGIONS = 24_000;
  /** Stores 1..12; store {@code s} is in zone {@code z((s-1) mod 3)}. */
  static final int STORES = 12;
  static final long DOWN_STORE = 1;
  static final long OFFLINE_STORE = 4;
  /** Ticks per store change at most: one drains 8,192 urgent regions, so a few suffice. */
  private static final int MAX_TICKS = 1_000;
  private static final long NOW_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

  /**
   * What a warm-up did.
   *
   * @param regions regions in the synthetic cluster
   * @param repairs regions that needed an operator, summed over both passes (rules on and off)
   * @param operators operators the patrol made; equal to {@code repairs} when all went well
   * @param elapsedMillis wall time, cluster building included
   * @param cpuMillis CPU time of the calling thread, or -1 where the JVM does not measure it
   */
  public record Result(int regions, int repairs, long operators, long elapsedMillis,
      long cpuMillis) {}

  private final int regionCount;
  private final LongSupplier nanoTicker;
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC);
  private final RegionsInfo regions = new RegionsInfo();
  private final StoresInfo stores = new StoresInfo();
  private final AtomicLong peerIds = new AtomicLong(1L << 40);
  private volatile CheckerConfig config;
  private final CacheCheckerCluster view;
  private final CheckerMetrics metrics = new CheckerMetrics(new SimpleMeterRegistry());

  RepairWarmup(int regionCount, LongSupplier nanoTicker) {
    if (regionCount < 1) {
      throw new IllegalArgumentException("regions must be ≥ 1, got " + regionCount);
    }
    this.regionCount = regionCount;
    this.nanoTicker = nanoTicker;
    this.config = config(true);
    this.view = new CacheCheckerCluster(regions, stores, () -> config, peerIds::getAndIncrement,
        () -> true, clock, 0, new ClusterSeams() {});
  }

  /**
   * Warms the repair path once on a private cluster of {@value #DEFAULT_REGIONS} regions, on the
   * calling thread (about a second of CPU on a fresh JVM); see the class doc.
   */
  public static Result run() {
    return new RepairWarmup(DEFAULT_REGIONS, System::nanoTime).run(
        ManagementFactory.getThreadMXBean());
  }

  Result run(ThreadMXBean threads) {
    boolean cpu = threads.isCurrentThreadCpuTimeSupported();
    long cpu0 = cpu ? threads.getCurrentThreadCpuTime() : 0;
    long t0 = nanoTicker.getAsLong();
    build();
    int repairs = 0;
    long operators = 0;
    for (boolean rules : new boolean[] {true, false}) {
      Pass p = pass(rules);
      repairs += p.expected();
      operators += p.sink().added();
    }
    long elapsed = (nanoTicker.getAsLong() - t0) / 1_000_000;
    long cpuMillis = cpu && threads.getCurrentThreadCpuTime() >= 0
        ? (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000 : -1;
    return new Result(regionCount, repairs, operators, elapsed, cpuMillis);
  }

  private static CheckerConfig config(boolean placementRules) {
    return CheckerConfig.defaults().toBuilder()
        .locationLabels(List.of("zone"))
        .enablePlacementRules(placementRules)
        .replicaScheduleLimit(Long.MAX_VALUE)
        .build();
  }

  /** Twelve Up stores heartbeating now, and the regions: one peer per zone, leaders rotating. */
  void build() {
    for (long s = 1; s <= STORES; s++) {
      Metapb.Store meta = Metapb.Store.newBuilder().setId(s).setAddress("warmup-" + s)
          .setState(Metapb.StoreState.Up).setNodeState(Metapb.NodeState.Serving)
          .addLabels(Metapb.StoreLabel.newBuilder().setKey("zone").setValue("z" + (s - 1) % 3))
          .build();
      stores.put(StoreInfo.of(meta).withStats(stats(s), NOW_MILLIS));
    }
    for (long id = 1; id <= regionCount; id++) {
      long[] peers = {1 + 3 * (id % 4), 2 + 3 * ((id / 4) % 4), 3 + 3 * ((id / 16) % 4)};
      regions.putRegion(region(id, peers, (int) ((id / 64) % 3)));
    }
  }

  private static Pdpb.StoreStats stats(long storeId) {
    return Pdpb.StoreStats.newBuilder().setStoreId(storeId).setCapacity(1L << 40)
        .setAvailable(1L << 39).build();
  }

  private static RegionInfo region(long id, long[] stores, int leader) {
    Metapb.Region.Builder meta = Metapb.Region.newBuilder().setId(id)
        .setStartKey(key(id)).setEndKey(key(id + 1))
        .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(5).setVersion(5));
    Pdpb.RegionHeartbeatRequest.Builder hb = Pdpb.RegionHeartbeatRequest.newBuilder();
    for (int i = 0; i < stores.length; i++) {
      Metapb.Peer peer = Metapb.Peer.newBuilder().setId(id * 16 + stores[i])
          .setStoreId(stores[i]).setRole(Metapb.PeerRole.Voter).build();
      meta.addPeers(peer);
      if (i == leader) {
        hb.setLeader(peer);
      }
    }
    // 96 MiB: big enough that the merge checker leaves it, small enough not to be split
    hb.setRegion(meta).setApproximateSize(96L << 20).setApproximateKeys(960_000);
    return RegionInfo.fromHeartbeat(hb.build());
  }

  private static ByteString key(long id) {
    byte[] k = new byte[9];
    k[0] = 'w';
    for (int i = 8; i >= 1; i--, id >>>= 8) {
      k[i] = (byte) id;
    }
    return ByteString.copyFrom(k);
  }

  /** One pass: what the sink got, and how many regions the two stores hold. */
  record Pass(CountingOperators sink, int expected) {}

  /**
   * A pass with placement rules on or off: a fresh chain, patrol and sink over the same caches.
   * The first pass turns {@link #DOWN_STORE} Down and {@link #OFFLINE_STORE} Offline; the second
   * finds them so and is told again, as a new leader's patrol would be.
   */
  Pass pass(boolean placementRules) {
    config = config(placementRules);
    CountingOperators sink = new CountingOperators();
    CheckerChain chain = placementRules
        ? CheckerChain.standard(view, sink, metrics.events(), rules())
        : CheckerChain.standard(view, sink, metrics.events());
    ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
    try {
      // never started: ticks are driven below, and start() would log and schedule
      PatrolService patrol = new PatrolService(chain, view, sink, unused, () -> true, metrics);
      long silentSince = NOW_MILLIS - config.maxStoreDownTime().toMillis() - 60_000;
      stores.update(DOWN_STORE, s -> s.withStats(s.stats(), silentSince));
      drain(patrol, DOWN_STORE);
      stores.update(OFFLINE_STORE, s -> s.withMeta(s.meta().toBuilder()
          .setState(Metapb.StoreState.Offline).setNodeState(Metapb.NodeState.Removing).build()));
      drain(patrol, OFFLINE_STORE);
    } finally {
      unused.shutdownNow();
    }
    int expected = view.storeRegionIds(DOWN_STORE).length
        + view.storeRegionIds(OFFLINE_STORE).length;
    return new Pass(sink, expected);
  }

  private RuleManager rules() {
    return new RuleManager(new MemoryMetaStore(), 1,
        new RuleManager.Replication(config.maxReplicas(), config.locationLabels(), ""),
        () -> NOW_MILLIS / 1000);
  }

  private static void drain(PatrolService patrol, long storeId) {
    patrol.storeChanged(storeId);
    for (int t = 0; t < MAX_TICKS && patrol.urgentCount() > 0; t++) {
      patrol.tick();
    }
  }

  CacheCheckerCluster view() {
    return view;
  }

  /**
   * The operator controller as far as the patrol needs one: every operator is accepted and
   * "runs" (so the region is skipped next time, and the patrol moves on), and is counted.
   * Only the patrol thread writes.
   */
  static final class CountingOperators implements Operators {
    private final Map<Long, Operator> running = new HashMap<>();
    private final long[] byKind = new long[OpKind.values().length];
    private long added;

    long added() {
      return added;
    }

    boolean has(long regionId) {
      return running.containsKey(regionId);
    }

    @Override
    public AddResult add(Operator... ops) {
      return addWaiting(ops);
    }

    @Override
    public AddResult addWaiting(Operator... ops) {
      for (Operator op : ops) {
        added++;
        if (running.put(op.regionId(), op) == null && op.schedulerKind() != null) {
          byKind[op.schedulerKind().ordinal()]++;
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
    public List<Operator> running() {
      return List.copyOf(running.values());
    }

    @Override
    public List<Operator> records(long fromMillis) {
      return List.of();
    }

    @Override
    public boolean remove(long regionId, CancelReason reason) {
      return false;
    }

    @Override
    public int removeAll(CancelReason reason) {
      return 0;
    }

    @Override
    public long count(OpKind kind) {
      return byKind[kind.ordinal()];
    }

    @Override
    public OpInfluence influence() {
      return new OpInfluence();
    }
  }
}
