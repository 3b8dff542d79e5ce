package dev.jpd.checker.patrol;

import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.FakeCluster;
import dev.jpd.checker.RecordingOperators;
import dev.jpd.checker.RuleChecker;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.storage.MemoryMetaStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Set;

/**
 * Patrol bench (a plain main, not a test): CPU time of the benchmark thread for one full patrol
 * round over N regions (3 peers on 30 stores, one leader, 10 MiB each), and the time from a store
 * turning Down to an operator or a pending-list entry for each of its regions.
 *
 * <pre>
 * java -Xmx6g -cp ... dev.jpd.checker.patrol.PatrolBench pass 1000000 0     (all healthy)
 * java -Xmx6g -cp ... dev.jpd.checker.patrol.PatrolBench pass 1000000 1     (1 % missing a peer)
 * java -Xmx6g -cp ... dev.jpd.checker.patrol.PatrolBench down 1000000
 * java -Xmx6g -cp ... dev.jpd.checker.patrol.PatrolBench pass 1000000 0 zones  (location labels)
 * java -Xmx6g -cp ... dev.jpd.checker.patrol.PatrolBench pass 1000000 1 zones rules
 *     (placement rules on: the rule checker with pd/default instead of the replica checker)
 * java -Xmx6g -cp ... dev.jpd.checker.patrol.PatrolBench down 1000000 0 zones rules
 *     (the down burst through the rule checker; the third argument is unused by down)
 * java -Xmx6g -cp ... dev.jpd.checker.patrol.PatrolBench down 1000000 0 zones rules warmup
 *     (the first, cold, burst is preceded by {@link RepairWarmup#run()}, as in the daemon: after
 *     the cluster is loaded and patrolled once, then one more settled round)
 * </pre>
 *
 * For figures to compare, fix and pre-touch the heap ({@code -Xms10g -Xmx10g
 * -XX:+AlwaysPreTouch} for 1.5M regions): each run collects the heap first, and a heap allowed to
 * shrink then page-faults during the measured part.
 *
 * <p>"Unhealthy" regions have 2 of 3 peers (make-up-replica). {@code pass} runs with PD's default
 * limits (replica-schedule-limit 64: the rest go to the pending list) and again with limits
 * lifted; ticks run back to back on the clock of the fixture, which does not move, so every tick
 * is a full batch and the figure is pure CPU.
 */
final class PatrolBench {
  private static final int STORES = 30;
  /** Stores in 3 zones (store id mod 3), {@code location-labels = zone}; peers in 3 zones. */
  private static boolean labels;
  /** Placement rules on: the rule checker (default rule) replaces learner and replica. */
  private static boolean rules;
  /** {@code patrol-region-worker-count}: the bench thread and {@code workers - 1} pool threads. */
  private static int workers = 1;
  /** Run the daemon's repair warm-up before anything else. */
  private static boolean warmup;

  /** The other patrol workers' threads (daemon threads: the bench ends with main). */
  private static final java.util.concurrent.ExecutorService POOL =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "patrol-worker");
        t.setDaemon(true);
        return t;
      });

  private PatrolBench() {}

  public static void main(String[] args) {
    String what = args.length > 0 ? args[0] : "pass";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int unhealthyPercent = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    for (int i = 3; i < args.length; i++) {
      if (args[i].equals("zones")) {
        labels = true;
      } else if (args[i].equals("rules")) {
        rules = true;
      } else if (args[i].equals("warmup")) {
        warmup = true;
      } else if (args[i].startsWith("workers=")) {
        workers = Integer.parseInt(args[i].substring("workers=".length()));
      } else {
        throw new IllegalArgumentException("zones | rules | warmup | workers=N, got " + args[i]);
      }
    }
    switch (what) {
      case "pass" -> {
        pass(n, unhealthyPercent, false);
        pass(n, unhealthyPercent, false);
        pass(n, unhealthyPercent, true);
      }
      case "down" -> {
        down(n);
        down(n);
      }
      default -> throw new IllegalArgumentException("pass | down, got " + what);
    }
  }

  private static FakeCluster cluster(int n, int unhealthyPercent) {
    FakeCluster fc = new FakeCluster();
    for (long s = 1; s <= STORES; s++) {
      if (labels) {
        fc.addStore(s, "zone=z" + (s % 3));
      } else {
        fc.addStore(s);
      }
    }
    if (labels) {
      fc.config(b -> b.locationLabels(java.util.List.of("zone")));
    }
    fc.config(b -> b.splitMergeInterval(java.time.Duration.ZERO).patrolRegionWorkerCount(workers));
    long t0 = System.nanoTime();
    for (long id = 1; id <= n; id++) {
      long a = 1 + (id % STORES);
      long b = 1 + ((id + 10) % STORES);
      long c = 1 + ((id + 20) % STORES);
      boolean sick = unhealthyPercent > 0 && id % (100 / unhealthyPercent) == 0;
      String spec = sick ? a + "* " + b : a + "* " + b + " " + c;
      fc.addRegion(id, spec, 96, 960_000);
    }
    System.out.printf("loaded %d regions in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    return fc;
  }

  private static void pass(int n, int unhealthyPercent, boolean liftLimits) {
    FakeCluster fc = cluster(n, unhealthyPercent);
    if (liftLimits) {
      fc.config(b -> b.replicaScheduleLimit(Long.MAX_VALUE));
    }
    RecordingOperators ops = new RecordingOperators();
    PatrolService patrol = warmPatrol(fc, ops);
    ops.finishAll();
    settleHeap();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long alloc0 = allocated();
    long proc0 = processCpu();
    long wall0 = System.nanoTime();
    int ticks = round(patrol);
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    long wall = System.nanoTime() - wall0;
    long alloc = allocated() - alloc0;
    long proc = processCpu() - proc0;
    System.out.printf("pass regions=%d unhealthy=%d%% limits=%s workers=%d ticks=%d batch=%d"
            + " cpu=%.3f s process-cpu=%.3f s wall=%.3f s alloc=%d MB operators=%d pending=%d%n",
        n, unhealthyPercent, liftLimits ? "lifted" : "default", workers, ticks, patrol.scanLimit(),
        cpu / 1e9, proc / 1e9, wall / 1e9, alloc >> 20, ops.added().size(),
        patrol.pendingRegionIds().size());
  }

  /**
   * The chain and the patrol over the fixture, its lists and batch size set but not scheduled
   * (ticks are driven here), after one warm-up round (the prepare check's count, JIT).
   */
  private static PatrolService warmPatrol(FakeCluster fc, RecordingOperators ops) {
    CheckerMetrics metrics = new CheckerMetrics(new SimpleMeterRegistry());
    PatrolService patrol = new PatrolService(chain(fc, ops, metrics), fc.view, ops,
        new dev.jpd.checker.ManualScheduler(fc.clock), () -> true, metrics, POOL);
    patrol.start();
    patrol.stop();
    round(patrol);
    return patrol;
  }

  private static CheckerChain chain(FakeCluster fc, RecordingOperators ops, CheckerMetrics m) {
    if (!rules) {
      return CheckerChain.standard(fc.view, ops, m.events());
    }
    fc.config(b -> b.enablePlacementRules(true));
    RuleManager rm = new RuleManager(new MemoryMetaStore(), 1, new RuleManager.Replication(3,
        fc.config().locationLabels(), ""), () -> 0);
    return CheckerChain.standard(fc.view, ops, m.events(), RuleChecker.of(fc.view, rm));
  }

  /** Ticks until the scan has gone once over the key space; returns the ticks. */
  private static int round(PatrolService patrol) {
    int ticks = 0;
    do {
      patrol.tick();
      ticks++;
    } while (!patrol.scanKeyEmpty());
    return ticks;
  }

  private static void down(int n) {
    FakeCluster fc = cluster(n, 0);
    fc.config(b -> b.replicaScheduleLimit(Long.MAX_VALUE));
    RecordingOperators ops = new RecordingOperators();
    PatrolService patrol = warmPatrol(fc, ops);
    if (warmup) {
      // the daemon's call at the daemon's moment: its cluster, controller and seams are loaded
      // (so the JIT sees their classes too), then it patrols on
      warmup = false;
      System.out.println("repair warm-up " + RepairWarmup.run());
      round(patrol);
    }
    long store = 5;
    long affected = fc.view.storeRegionIds(store).length;
    settleHeap();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long alloc0 = allocated();
    long proc0 = processCpu();
    long wall0 = System.nanoTime();
    fc.setStoreDown(store);
    patrol.storeChanged(store);
    int ticks = 0;
    while (patrol.urgentCount() > 0) {
      patrol.tick();
      ticks++;
    }
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    long wall = System.nanoTime() - wall0;
    long alloc = allocated() - alloc0;
    long proc = processCpu() - proc0;
    Set<Long> handled = new HashSet<>();
    ops.added().forEach(op -> handled.add(op.regionId()));
    handled.addAll(patrol.pendingRegionIds());
    long[] ids = fc.view.storeRegionIds(store);
    int covered = 0;
    for (long id : ids) {
      covered += handled.contains(id) ? 1 : 0;
    }
    System.out.printf("down regions=%d affected=%d workers=%d ticks=%d cpu=%.3f s"
            + " process-cpu=%.3f s wall=%.3f s alloc=%d MB operators=%d covered=%d%n", n,
        affected, workers, ticks, cpu / 1e9, proc / 1e9, wall / 1e9, alloc >> 20,
        ops.added().size(), covered);
  }

  /**
   * A full collection before the measured part: the garbage of loading the cluster (and of the
   * previous run's cluster) is gone, and no concurrent marking of it runs beside the measurement,
   * as in a daemon that has been up for a while.
   */
  private static void settleHeap() {
    System.gc();
  }

  /** CPU time of the whole process so far: every thread, GC and JIT included. */
  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Bytes this thread has allocated so far (HotSpot's thread bean; the bench thread only). */
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
