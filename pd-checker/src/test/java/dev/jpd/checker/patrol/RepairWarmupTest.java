package dev.jpd.checker.patrol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.Operator;
import io.micrometer.core.instrument.Metrics;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The repair warm-up repairs every region of its Down and Offline store, and nothing else. */
@Timeout(60)
class RepairWarmupTest {

  @ParameterizedTest(name = "placement rules {0}")
  @ValueSource(booleans = {true, false})
  void everyRegionOfTheDownAndOfflineStoreGetsItsOperator(boolean rules) {
    RepairWarmup w = new RepairWarmup(2_400, new AtomicLong()::getAndIncrement);
    w.build();
    if (!rules) {
      w.pass(true); // the daemon's order: rules on first, then the same stores again with off
    }
    RepairWarmup.Pass p = w.pass(rules);

    long[] down = w.view().storeRegionIds(RepairWarmup.DOWN_STORE);
    long[] offline = w.view().storeRegionIds(RepairWarmup.OFFLINE_STORE);
    assertThat(down).hasSize(600);
    assertThat(offline).hasSize(600);
    assertThat(p.expected()).isEqualTo(1_200);
    assertThat(p.sink().added()).isEqualTo(1_200);
    String prefix = rules ? "replace-rule-" : "replace-";
    String suffix = rules ? "" : "-replica";
    for (long id : down) {
      assertThat(descOf(p, id)).startsWith(prefix + "down").endsWith(suffix);
    }
    for (long id : offline) {
      assertThat(descOf(p, id)).startsWith(prefix + "offline").endsWith(suffix);
    }
    List<String> leaderVariants = new ArrayList<>();
    for (Operator op : p.sink().running()) {
      if (op.desc().contains("leader")) {
        leaderVariants.add(op.desc());
      }
    }
    if (rules) { // leaders rotate: about a third of the replaced peers lead their region
      assertThat(leaderVariants).hasSizeBetween(300, 500);
    }
  }

  private static String descOf(RepairWarmup.Pass p, long regionId) {
    assertThat(p.sink().has(regionId)).as("region %d has an operator", regionId).isTrue();
    return p.sink().get(regionId).orElseThrow().desc();
  }

  @Test
  void theDaemonsSizeRepairsAllRegionsOfBothStoresInEveryPass() {
    // the daemon's cluster, one round, no waiting for the JIT (RepairWarmup.run() waits for it,
    // up to seconds: the bench runs that)
    RepairWarmup.Result r = new RepairWarmup(RepairWarmup.DEFAULT_REGIONS, 1, 1,
        System::nanoTime, () -> -1, millis -> { }).run(ManagementFactory.getThreadMXBean());

    assertThat(r.regions()).isEqualTo(RepairWarmup.DEFAULT_REGIONS);
    assertThat(r.rounds()).isEqualTo(1);
    // stores 1 and 4 hold a quarter of the regions each; two passes a round
    assertThat(r.repairs()).isEqualTo(RepairWarmup.DEFAULT_REGIONS);
    assertThat(r.operators()).isEqualTo(r.repairs());
    assertThat(r.elapsedMillis()).isNotNegative();
    if (ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported()) {
      assertThat(r.cpuMillis()).isNotNegative();
    }
  }

  /** A JIT clock that moves {@code step} ms at each read; pauses are recorded, not slept. */
  private static final class FakeJit {
    final AtomicLong nanos = new AtomicLong();
    long jit;
    final long step;
    final List<Long> pauses = new ArrayList<>();

    FakeJit(long step) {
      this.step = step;
    }

    RepairWarmup warmup(int min, int max) {
      return new RepairWarmup(400, min, max, nanos::get, () -> jit += step, millis -> {
        pauses.add(millis);
        nanos.addAndGet(millis * 1_000_000);
      });
    }
  }

  @Test
  void aQuietJitStopsAfterTheLeastRounds() {
    FakeJit jit = new FakeJit(0);
    RepairWarmup.Result r = jit.warmup(3, 6).run(ManagementFactory.getThreadMXBean());

    assertThat(r.rounds()).isEqualTo(3);
    assertThat(r.operators()).isEqualTo(3 * 400);
    // before each round, three quiet polls
    assertThat(jit.pauses).hasSize(3 * RepairWarmup.QUIET_POLLS)
        .containsOnly(RepairWarmup.QUIET_POLL_MILLIS);
  }

  @Test
  void aBusyJitGetsTheMostRoundsAndBoundedWaits() {
    FakeJit jit = new FakeJit(1_000);
    RepairWarmup.Result r = jit.warmup(2, 4).run(ManagementFactory.getThreadMXBean());

    assertThat(r.rounds()).isEqualTo(4);
    assertThat(r.operators()).isEqualTo(4 * 400);
    long waited = jit.pauses.stream().mapToLong(Long::longValue).sum();
    assertThat(waited).isEqualTo(4 * RepairWarmup.MAX_QUIET_WAIT_MILLIS);
  }

  @Test
  void anUnmeasuredJitRunsTheLeastRoundsWithoutWaiting() {
    List<Long> pauses = new ArrayList<>();
    RepairWarmup.Result r = new RepairWarmup(400, 2, 5, new AtomicLong()::get, () -> -1,
        pauses::add).run(ManagementFactory.getThreadMXBean());

    assertThat(r.rounds()).isEqualTo(2);
    assertThat(r.jitMillis()).isEqualTo(-1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void registersNoGlobalMeter() {
    // it takes nothing of a real cluster (no argument); what it could still leak is a meter in
    // the process-wide registry that the daemon's /metrics might show
    int globalMeters = Metrics.globalRegistry.getMeters().size();
    RepairWarmup.Result r = new RepairWarmup(2_400, new AtomicLong()::getAndIncrement)
        .run(ManagementFactory.getThreadMXBean());
    assertThat(r.operators()).isEqualTo(2_400);
    assertThat(Metrics.globalRegistry.getMeters()).hasSize(globalMeters);
  }

  @Test
  void anInterruptedThreadRunsNoFurtherPass() {
    RepairWarmup w = new RepairWarmup(400, 2, 5, new AtomicLong()::get, () -> -1, millis -> { });
    Thread.currentThread().interrupt();
    try {
      RepairWarmup.Result r = w.run(ManagementFactory.getThreadMXBean());
      assertThat(r.rounds()).isZero();
      assertThat(r.operators()).isZero();
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }
  }
}
