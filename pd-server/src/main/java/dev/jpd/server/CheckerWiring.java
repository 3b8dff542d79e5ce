package dev.jpd.server;

import dev.jpd.checker.CacheCheckerCluster;
import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.CheckerConfig;
import dev.jpd.checker.ClusterSeams;
import dev.jpd.checker.patrol.CheckerMetrics;
import dev.jpd.checker.patrol.PatrolService;
import dev.jpd.checker.patrol.RepairWarmup;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.statistics.StatisticsConfig;
import dev.jpd.server.cluster.ClusterHealth;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.config.LiveConfig;
import dev.jpd.server.config.PdConfig;
import dev.jpd.server.config.ReplicationConfig;
import dev.jpd.server.config.ScheduleConfig;
import dev.jpd.server.id.IdAllocator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkers and their patrol loop, wired to the server.
 *
 * <ul>
 *   <li>The checkers read regions and stores from the cluster caches ({@link CacheCheckerCluster})
 *       and a {@link CheckerConfig} rebuilt whenever the live config changes, so a {@code
 *       /config} change applies to the next check.
 *   <li>Their operators go to the operator controller ({@code addWaiting}).
 *   <li>The patrol runs on its own thread ({@code pd-patrol}), so a long pass never delays the
 *       store check, the operator push or the TSO; it starts at once (a single member always
 *       leads) and stops on {@link #close}. With {@code patrol-region-worker-count} above 1, the
 *       other slices of a batch are checked on {@code pd-patrol-worker-N} threads (at most 7,
 *       made on demand, gone after a minute idle); the patrol thread applies the results.
 *   <li>Beyond PD: {@link ClusterHealth} tells it of every region classified as needing repair
 *       and every store whose state changed, and AskSplit / AskBatchSplit tell the merge checker
 *       which regions were just split.
 *   <li>Beyond PD: once the daemon is up, {@link #startWarmup} runs the repair path once on a
 *       private synthetic cluster ({@link RepairWarmup}) on a daemon thread ({@code pd-warmup};
 *       lowest Java priority, a hint only), so that the first store failure finds it compiled.
 *       Once per process (a test JVM starting many members pays it once), and not at all with
 *       {@code repair-warmup = false}. It shares nothing with the cluster, so nothing waits for
 *       it; {@link #close} interrupts it.
 * </ul>
 */
final class CheckerWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckerWiring.class);
  /** Set by the first member of this process that starts a repair warm-up. */
  private static final AtomicBoolean WARMUP_CLAIMED = new AtomicBoolean();

  /** What {@link #startWarmup} did. */
  enum WarmupStart {
    /** {@code repair-warmup = false}. */
    OFF,
    /** Another member of this process started one already: the JIT's work is per process. */
    DONE_IN_PROCESS,
    /** Started on a {@code pd-warmup} thread; its result completes the future. */
    STARTED
  }

  /**
   * What {@link #startWarmup} did, and the warm-up's outcome when it started one (else null);
   * for the log and tests.
   */
  record Warmup(WarmupStart start, CompletableFuture<RepairWarmup.Result> result,
      Thread thread) {
    static final Warmup NOT_YET = new Warmup(null, null, null);
  }

  private final ScheduledExecutorService executor;
  private final ThreadPoolExecutor workers;
  private final CheckerChain chain;
  private final PatrolService patrol;
  private volatile CheckerConfig current;
  private final boolean warmupEnabled;
  private volatile Warmup warmup = Warmup.NOT_YET;

  CheckerWiring(RaftCluster cluster, LiveConfig config, IdAllocator ids, Operators operators,
      ClusterHealth health, ClusterSeams seams, Clock clock, MeterRegistry registry,
      RuleManager rules) {
    current = checkerConfig(config.current());
    warmupEnabled = config.current().repairWarmup();
    config.addListener(next -> current = checkerConfig(next));
    CacheCheckerCluster view = new CacheCheckerCluster(cluster.regions(), cluster.stores(),
        () -> current, () -> ids.alloc(1),
        () -> config.current().schedule().enableJointConsensus() && cluster.supportsConfChangeV2(),
        clock, clock.millis(), seams);
    CheckerMetrics metrics = new CheckerMetrics(registry);
    // with enable-placement-rules on (PD's default) the rule checker replaces learner + replica
    // and the split checker also cuts regions at rule boundaries
    chain = rules == null
        ? CheckerChain.standard(view, operators, metrics.events())
        : CheckerChain.standard(view, operators, metrics.events(), rules);
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pd-patrol");
      t.setDaemon(true);
      return t;
    });
    AtomicInteger workerNo = new AtomicInteger();
    // a task the pool cannot take at once is refused, and the patrol thread checks that slice
    workers = new ThreadPoolExecutor(0, CheckerConfig.MAX_PATROL_WORKERS - 1, 1, TimeUnit.MINUTES,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "pd-patrol-worker-" + workerNo.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    patrol = new PatrolService(chain, view, operators, executor, () -> true, metrics, workers);
    for (String type : List.of("pending_processed_regions", "priority_list", "urgent")) {
      Gauge.builder("pd_checker_region_list", patrol, p -> p.listSize(type))
          .description("Regions waiting in the patrol's lists")
          .tag("type", type)
          .register(registry);
    }
    health.watch(new ClusterHealth.Watcher() {
      @Override
      public void regionNeedsRepair(long regionId) {
        patrol.regionUnhealthy(regionId);
      }

      @Override
      public void storeStateChanged(long storeId) {
        patrol.storeChanged(storeId);
      }
    });
    cluster.onSplitAsked(chain::recordRegionSplit);
    if (rules != null) {
      rules.onRangesChanged(patrol::addSuspectKeyRange);
    }
    patrol.start();
  }

  CheckerChain chain() {
    return chain;
  }

  /**
   * Starts the repair warm-up unless {@code repair-warmup} is off or this process ran one; call
   * once the daemon is up. Never blocks: the warm-up runs on its own thread, which {@link #close}
   * interrupts and waits for.
   */
  Warmup startWarmup() {
    warmup = startWarmup(warmupEnabled, WARMUP_CLAIMED, RepairWarmup::run);
    return warmup;
  }

  /** Interrupts a warm-up under way (it stops after its current pass) and waits for it. */
  private void stopWarmup() throws InterruptedException {
    Thread t = warmup.thread();
    if (t != null) {
      t.interrupt();
      t.join(TimeUnit.SECONDS.toMillis(5));
    }
  }

  /** What {@link #startWarmup()} did ({@link Warmup#NOT_YET} before it was called). */
  Warmup warmup() {
    return warmup;
  }

  /**
   * The rule behind {@link #startWarmup()}: off, or already claimed in {@code claimed}, or {@code
   * job} started on a new daemon thread {@code pd-warmup} (lowest Java priority), which logs one
   * line with its figures.
   */
  static Warmup startWarmup(boolean enabled, AtomicBoolean claimed,
      Supplier<RepairWarmup.Result> job) {
    if (!enabled) {
      LOG.info("repair warm-up off (repair-warmup = false)");
      return new Warmup(WarmupStart.OFF, null, null);
    }
    if (!claimed.compareAndSet(false, true)) {
      return new Warmup(WarmupStart.DONE_IN_PROCESS, null, null);
    }
    CompletableFuture<RepairWarmup.Result> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        RepairWarmup.Result r = job.get();
        LOG.info("repair warm-up done regions={} rounds={} repairs={} operators={} elapsed-ms={}"
                + " cpu-ms={} jit-ms={}", r.regions(), r.rounds(), r.repairs(), r.operators(),
            r.elapsedMillis(), r.cpuMillis(), r.jitMillis());
        result.complete(r);
      } catch (RuntimeException e) {
        // it only makes the first repair burst faster: the daemon goes on without it
        LOG.warn("repair warm-up failed error=\"{}\"", e.toString(), e);
        result.completeExceptionally(e);
      } finally { // after an Error too (out of memory), the future ends
        result.completeExceptionally(new IllegalStateException("repair warm-up did not finish"));
      }
    }, "pd-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY); // a hint only: Linux JVMs ignore it by default
    t.start();
    return new Warmup(WarmupStart.STARTED, result, t);
  }

  PatrolService patrol() {
    return patrol;
  }

  /** What the checkers read of {@code [schedule]} and {@code [replication]}, PD's key by key. */
  static CheckerConfig checkerConfig(PdConfig c) {
    ScheduleConfig s = c.schedule();
    ReplicationConfig r = c.replication();
    return CheckerConfig.builder()
        .maxReplicas(Math.toIntExact(r.maxReplicas()))
        .locationLabels(r.locationLabels())
        .isolationLevel(r.isolationLevel())
        .strictlyMatchLabel(r.strictlyMatchLabel())
        .enablePlacementRules(r.enablePlacementRules())
        .maxStoreDownTime(s.maxStoreDownTime())
        .replicaScheduleLimit(s.replicaScheduleLimit())
        .mergeScheduleLimit(s.mergeScheduleLimit())
        .enableRemoveDownReplica(s.enableRemoveDownReplica())
        .enableReplaceOfflineReplica(s.enableReplaceOfflineReplica())
        .enableMakeUpReplica(s.enableMakeUpReplica())
        .enableRemoveExtraReplica(s.enableRemoveExtraReplica())
        .enableLocationReplacement(s.enableLocationReplacement())
        .splitMergeInterval(s.splitMergeInterval())
        .maxMergeRegionSizeMiB(s.maxMergeRegionSize())
        .maxMergeRegionKeys(s.maxMergeRegionKeys())
        .enableOneWayMerge(s.enableOneWayMerge())
        .enableCrossTableMerge(s.enableCrossTableMerge())
        .regionMaxSizeMiB(StatisticsConfig.DEFAULT_REGION_MAX_SIZE)
        .patrolRegionInterval(s.patrolRegionInterval())
        .lowSpaceRatio(s.lowSpaceRatio())
        .maxSnapshotCount(s.maxSnapshotCount())
        .maxPendingPeerCount(s.maxPendingPeerCount())
        .haltScheduling(s.haltScheduling())
        .patrolRegionWorkerCount(s.patrolRegionWorkerCount())
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    stopWarmup();
    patrol.stop();
    executor.shutdown();
    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
    workers.shutdown();
    if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
      workers.shutdownNow();
    }
  }
}
