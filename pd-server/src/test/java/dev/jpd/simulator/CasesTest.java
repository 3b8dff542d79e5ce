package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Pdpb;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case against a real in-process daemon over gRPC and HTTP, the daemon on the simulator's
 * clock so that its timers (store down time, store limits, operator timeouts) follow simulated
 * time. A pending case shows as skipped with the reason it is pending; it runs for real once its
 * {@code pending} is cleared.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CasesTest {
  @TempDir Path dir;

  static Stream<String> cases() {
    return Cases.all().keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseConvergesWithinItsBound(String name) throws Exception {
    SimCase c = Cases.all().get(name);
    Assumptions.assumeTrue(c.ready(), () -> name + " is pending: " + c.pending());
    SimClock clock = new SimClock(System.currentTimeMillis());
    try (InProcessPd pd = new InProcessPd(dir, clock)) {
      CaseResult r = Main.runCase(pd.address(), pd.httpAddress(), c, 0, clock);
      r.print(System.out);
      assertThat(r.converged()).as("%s did not converge: %s%n%s", name, r.detail(), r.state()).isTrue();
      assertThat(r.simMillis()).isLessThanOrEqualTo(c.boundMillis());
    }
  }

  /**
   * makeup-down-replicas with 400 regions and {@code patrol-region-worker-count = 4}: batches of
   * the urgent list and the scan are big enough to be cut into slices, and the checks run on the
   * daemon's patrol workers.
   */
  @Test
  void aDownStoreIsRepairedWithFourPatrolWorkers() throws Exception {
    SimCase base = Cases.makeupDownReplicas();
    SimCase.Layout l = base.layout();
    SimCase c = new SimCase(base.name() + "-4-workers", base.summary(), null, base.config(),
        new SimCase.Layout(l.stores(), 400, l.regionSize(), l.regionKeys(), l.placement(),
            l.labels()),
        base.events(), base.check(), base.boundMillis(),
        "{\"max-store-down-time\": \"1m\", \"patrol-region-worker-count\": 4}");
    SimClock clock = new SimClock(System.currentTimeMillis());
    try (InProcessPd pd = new InProcessPd(dir, clock)) {
      CaseResult r = Main.runCase(pd.address(), pd.httpAddress(), c, 0, clock);
      assertThat(r.converged()).as("%s%n%s", r.detail(), r.state()).isTrue();
      assertThat(pd.server.config().current().schedule().patrolRegionWorkerCount()).isEqualTo(4);
      assertThat(Thread.getAllStackTraces().keySet())
          .anySatisfy(t -> assertThat(t.getName()).startsWith("pd-patrol-worker-"));
    }
  }

  /** Pending or not, every case's starting layout must be one the PD accepts as reported. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyCaseLaysOutAClusterThePdAccepts(String name) throws Exception {
    SimCase c = Cases.all().get(name);
    try (InProcessPd pd = new InProcessPd(dir); PdClient client = new PdClient(pd.address())) {
      Driver d = new Driver(client, new PdHttp(pd.httpAddress()), c,
          new SimClock(System.currentTimeMillis()), 0);
      d.setup();
      d.tick();
      String why = Checks.pdMatches(d);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (why != null && System.nanoTime() < deadline) {
        Thread.sleep(10); // polling the PD until it has applied the first tick's heartbeats
        why = Checks.pdMatches(d);
      }
      assertThat(why).as(name).isNull();
      assertThat(pd.server.cluster().stores().count()).isEqualTo(c.layout().stores());
      assertThat(d.cluster.sortedRegions()).hasSize(c.layout().regions());
    }
  }

  @Test
  void regionSplitLeavesThePdWithEveryPieceContiguous() throws Exception {
    try (InProcessPd pd = new InProcessPd(dir); PdClient client = new PdClient(pd.address())) {
      CaseResult r = Main.runCase(pd.address(), Cases.regionSplit(), 0);
      assertThat(r.converged()).as(r.state()).isTrue();
      client.connect();
      List<Pdpb.Region> regions = client.scanRegions();
      assertThat(regions).hasSizeGreaterThanOrEqualTo(Cases.SPLIT_TARGET);
      assertThat(regions.get(0).getRegion().getStartKey().isEmpty()).isTrue();
      assertThat(regions.get(regions.size() - 1).getRegion().getEndKey().isEmpty()).isTrue();
      for (int i = 1; i < regions.size(); i++) {
        assertThat(regions.get(i).getRegion().getStartKey())
            .isEqualTo(regions.get(i - 1).getRegion().getEndKey());
      }
      assertThat(regions).allSatisfy(x -> assertThat(x.getRegion().getRegionEpoch().getVersion()).isGreaterThan(1));
      assertThat(r.peakSnapshots()).hasSize(3);
    }
  }

  @Test
  void aCaseFailsAndSaysWhereItEndedWhenTheCheckIsNotMetInTime() throws Exception {
    SimCase never = new SimCase("never", "check never passes", null, SimConfig.defaults(),
        new SimCase.Layout(3, 4, SimConfig.MIB, 100, SimCase.roundRobin(3), SimCase.noLabels()),
        (d, tick) -> { },
        d -> SimCase.Verdict.notYet("waiting for nothing"),
        20_000);
    try (InProcessPd pd = new InProcessPd(dir)) {
      CaseResult r = Main.runCase(pd.address(), never, 0);
      assertThat(r.converged()).isFalse();
      assertThat(r.detail()).isEqualTo("waiting for nothing");
      assertThat(r.state()).contains("regions=4").contains("store ");
      assertThat(r.ticks()).isEqualTo(21);
    }
  }
}
