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
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
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
 * 1.6–2.2 s for 150,000 regions on two cores, against 0.7–1.1 s once compiled.
 *
 * <p><b>What it exercises.</b> The real classes, wired as the daemon wires them: a {@link
 * RegionsInfo} and a {@link StoresInfo} behind a {@link CacheCheckerCluster}, a {@link
 * RuleManager} over a {@link MemoryMetaStore}, {@link CheckerChain#standard} with the rule
 * checker (placement rules on, the daemon's default) and without it (the replica checker), and a
 * {@link PatrolService} whose ticks are driven here. {@value #DEFAULT_REGIONS} regions, 3
 * replicas over 12 stores in 3 zones ({@code location-labels = ["zone"]}), limits lifted. One
 * store turns Down and one Offline (both in zone {@code z0}, so no region has a peer on both).
 * A <em>pass</em> tells a fresh chain and patrol of both stores ({@link
 * PatrolService#storeChanged}) and ticks until the urgent list is empty: every region of either
 * store gets a replace-down or replace-offline operator, half the regions. Leaders rotate over
 * the three peers, so leader and follower variants both run. A <em>round</em> is a pass with
 * placement rules on and one with them off.
 *
 * <p><b>How much.</b> C2 compiles a method after some 5,000–15,000 calls, but raises that
 * threshold with the length of its queue, and right after start (everything new) the queue is
 * long: measured, the builder's methods stayed at C1 through 67,000 calls. So before each round
 * it waits, without using CPU, until the JIT has been busy at most a tenth of the time for
 * {@value #QUIET_POLLS} polls of {@value #QUIET_POLL_MILLIS} ms (at most {@value
 * #MAX_QUIET_WAIT_MILLIS} ms), and it runs {@value #MIN_ROUNDS} to {@value #MAX_ROUNDS} rounds,
 * stopping once the JIT was that quiet during one. The passes take turns with {@value #FLAVOURS}
 * classes of each seam (see {@link #FLAVOURS}), so that the compiled code does not assume the
 * warm-up's classes. Not all is won: where the daemon's classes (controller, seams, clock) show
 * up at a call site the JIT saw only two classes at, it still traps and recompiles (seen in the
 * bench at {@code cluster.clock()} calls), and some JDK collection call sites do the same.
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
  static final int DEFAULT_REGIONS = 12_000;
  /** Three rounds: each pass kind has then seen each {@link #FLAVOURS flavour} of the seams. */
  static final int MIN_ROUNDS = 3;
  static final int MAX_ROUNDS = 6;
  static final long QUIET_POLL_MILLIS = 100;
  static final int QUIET_POLLS = 3;
  static final long MAX_QUIET_WAIT_MILLIS = 10_000;
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
   * @param rounds rounds run, each a pass with placement rules on and one with them off
   * @param repairs regions that needed an operator, summed over all passes
   * @param operators operators the patrol made; equal to {@code repairs} when all went well
   * @param elapsedMillis wall time, cluster building included
   * @param cpuMillis CPU time of the calling thread, or -1 where the JVM does not measure it
   * @param jitMillis time the JIT compilers spent meanwhile (on their own threads, on anything),
   *     or -1 where the JVM does not measure it
   */
  public record Result(int regions, int rounds, int repairs, long operators, long elapsedMillis,
      long cpuMillis, long jitMillis) {}

  private final int regionCount;
  private final int minRounds;
  private final int maxRounds;
  private final LongSupplier nanoTicker;
  private final LongSupplier jitMillis;
  private final Pause pause;

  /** Sleeps; a test's does not. */
  interface Pause {
    void accept(long millis) throws InterruptedException;
  }
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC);
  /** Passes run so far: which flavour of the seams the next one uses. */
  private int passNo;
  private final RegionsInfo regions = new RegionsInfo();
  private final StoresInfo stores = new StoresInfo();
  private final AtomicLong peerIds = new AtomicLong(1L << 40);
  private volatile CheckerConfig config;
  /** The view of the last pass (each pass has its own, over the same caches). */
  private CacheCheckerCluster view;
  private final CheckerMetrics metrics = new CheckerMetrics(new SimpleMeterRegistry());

  /** One round over {@code regionCount} regions. */
  RepairWarmup(int regionCount, LongSupplier nanoTicker) {
    this(regionCount, 1, 1, nanoTicker, () -> -1, Thread::sleep);
  }

  /**
   * @param minRounds rounds run at least
   * @param maxRounds rounds run at most; between the two, rounds stop once one finds the JIT
   *     quiet
   * @param jitMillis total time the JIT has spent compiling so far, or -1 when unknown (then
   *     {@code minRounds} are run)
   */
  RepairWarmup(int regionCount, int minRounds, int maxRounds, LongSupplier nanoTicker,
      LongSupplier jitMillis, Pause pause) {
    if (regionCount < 1 || minRounds < 1 || maxRounds < minRounds) {
      throw new IllegalArgumentException("need regions ≥ 1 and 1 ≤ min rounds ≤ max rounds,"
          + " got " + regionCount + ", " + minRounds + ", " + maxRounds);
    }
    this.regionCount = regionCount;
    this.minRounds = minRounds;
    this.maxRounds = maxRounds;
    this.nanoTicker = nanoTicker;
    this.jitMillis = jitMillis;
    this.pause = pause;
    this.config = config(true);
    this.view = view(0);
  }

  /**
   * Warms the repair path once on a private cluster of {@value #DEFAULT_REGIONS} regions, on the
   * calling thread: about a second of its CPU on a fresh JVM, a few seconds of the JIT's, and
   * some seconds of waiting for the JIT; see the class doc.
   */
  public static Result run() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    LongSupplier jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit::getTotalCompilationTime : () -> -1;
    return new RepairWarmup(DEFAULT_REGIONS, MIN_ROUNDS, MAX_ROUNDS, System::nanoTime, jitMillis,
        Thread::sleep).run(ManagementFactory.getThreadMXBean());
  }

  /**
   * Builds the cluster, then runs rounds until {@code maxRounds}, or until a round after the
   * first {@code minRounds - 1} finds the JIT quiet: C2 raises its thresholds while its queue is
   * long, so right after start (everything new) the repair path may still run at C1 after one
   * round; rounds go on until the compilers had little left to do during one.
   */
  Result run(ThreadMXBean threads) {
    boolean cpu = threads.isCurrentThreadCpuTimeSupported();
    long cpu0 = cpu ? threads.getCurrentThreadCpuTime() : 0;
    long t0 = nanoTicker.getAsLong();
    long jit0 = jitMillis.getAsLong();
    build();
    int repairs = 0;
    long operators = 0;
    int rounds = 0;
    // an interrupt (the daemon closing) ends it after the pass under way
    while (rounds < maxRounds && !Thread.currentThread().isInterrupted()) {
      awaitQuietJit();
      long roundStart = nanoTicker.getAsLong();
      long jitBefore = jitMillis.getAsLong();
      for (boolean rules : new boolean[] {true, false}) {
        if (Thread.currentThread().isInterrupted()) {
          break;
        }
        Pass p = pass(rules);
        repairs += p.expected();
        operators += p.sink().added();
      }
      rounds++;
      long jitSpent = jitMillis.getAsLong() - jitBefore;
      long roundMillis = (nanoTicker.getAsLong() - roundStart) / 1_000_000;
      if (rounds >= minRounds && (jitBefore < 0 || quiet(jitSpent, roundMillis))) {
        break;
      }
    }
    long elapsed = (nanoTicker.getAsLong() - t0) / 1_000_000;
    long cpuMillis = cpu && threads.getCurrentThreadCpuTime() >= 0
        ? (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000 : -1;
    long jitSpent = jit0 < 0 ? -1 : jitMillis.getAsLong() - jit0;
    return new Result(regionCount, rounds, repairs, operators, elapsed, cpuMillis, jitSpent);
  }

  /**
   * Waits (without CPU) until the JIT has had little to do for {@value #QUIET_POLL_MILLIS} ms,
   * at most {@value #MAX_QUIET_WAIT_MILLIS} ms: C2 raises its compile thresholds with the length
   * of its queue, so the next round's calls count fully only once the queue is short.
   */
  private void awaitQuietJit() {
    long deadline = nanoTicker.getAsLong() + MAX_QUIET_WAIT_MILLIS * 1_000_000;
    try {
      // the JIT's clock moves when a compile ends: a long one looks quiet until then
      for (int quietPolls = 0; quietPolls < QUIET_POLLS && nanoTicker.getAsLong() < deadline; ) {
        long before = jitMillis.getAsLong();
        if (before < 0) {
          return;
        }
        pause.accept(QUIET_POLL_MILLIS);
        quietPolls = quiet(jitMillis.getAsLong() - before, QUIET_POLL_MILLIS) ? quietPolls + 1 : 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The compilers were busy for at most a tenth of the round (a few ms once all is compiled). */
  static boolean quiet(long jitMillis, long roundMillis) {
    return jitMillis * 10 <= roundMillis;
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
    int flavour = passNo++ % FLAVOURS;
    view = view(flavour);
    CountingOperators sink = sink(flavour);
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

  /**
   * How many kinds of each seam the passes take turns with: the view's clock, suppliers and
   * {@link ClusterSeams}, and the operator sink. The daemon's are other classes again (the
   * controller, its seams, the system clock); had the JIT seen one class at a call site, it would
   * have compiled it for that class only, and the daemon's first repair would throw the code away
   * and recompile (class-check traps). Seeing three, it compiles calls that take any class.
   */
  static final int FLAVOURS = 3;

  private CacheCheckerCluster view(int flavour) {
    return switch (flavour) {
      case 0 -> new CacheCheckerCluster(regions, stores, () -> config, peerIds::getAndIncrement,
          () -> true, clock, 0, new ClusterSeams() {});
      case 1 -> new CacheCheckerCluster(regions, stores, this::currentConfig,
          () -> peerIds.getAndIncrement(), Boolean.TRUE::booleanValue,
          Clock.offset(clock, Duration.ZERO), 0, new ClusterSeams() {});
      default -> new CacheCheckerCluster(regions, stores, new ConfigSupplier(),
          new PeerIdSupplier(), new Joint(), Clock.tick(clock, Duration.ofMillis(1)), 0,
          new ClusterSeams() {});
    };
  }

  private CheckerConfig currentConfig() {
    return config;
  }

  private final class ConfigSupplier implements java.util.function.Supplier<CheckerConfig> {
    @Override
    public CheckerConfig get() {
      return config;
    }
  }

  private final class PeerIdSupplier implements LongSupplier {
    @Override
    public long getAsLong() {
      return peerIds.getAndIncrement();
    }
  }

  private static final class Joint implements java.util.function.BooleanSupplier {
    @Override
    public boolean getAsBoolean() {
      return true;
    }
  }

  private static CountingOperators sink(int flavour) {
    return switch (flavour) {
      case 0 -> new CountingOperators();
      case 1 -> new CountingOperators() {};
      default -> new CountingOperators() {};
    };
  }

  CacheCheckerCluster view() {
    return view;
  }

  /**
   * The operator controller as far as the patrol needs one: every operator is accepted and
   * "runs" (so the region is skipped next time, and the patrol moves on), and is counted.
   * Only the patrol thread writes.
   */
  static class CountingOperators implements Operators {
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
