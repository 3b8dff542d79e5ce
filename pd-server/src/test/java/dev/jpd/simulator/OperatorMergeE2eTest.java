package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Pdpb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin merge end to end: two neighbouring regions with replicas on the same three stores;
 * {@code merge-region} adds PD's linked pair (the active operator on the source sends Merge, the
 * passive one on the target waits for its range to grow) and the stores carry it out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OperatorMergeE2eTest {
  @TempDir Path dir;

  @Test
  void mergeRegionFoldsTheSourceIntoItsNeighbour() throws Exception {
    SimClock clock = new SimClock(1_700_000_000_000L);
    SimCase c = new SimCase("merge", "two regions on the same three stores", null,
        SimConfig.defaults(),
        new SimCase.Layout(3, 2, 8 * SimConfig.MIB, 1000, SimCase.roundRobin(3), SimCase.noLabels()),
        (drv, tick) -> { }, drv -> SimCase.Verdict.notYet(""), 600_000);
    try (InProcessPd pd = new InProcessPd(dir, clock); PdClient client = new PdClient(pd.address())) {
      PdHttp http = new PdHttp(pd.httpAddress());
      Driver d = new Driver(client, c, clock, 0);
      List<String> commands = new ArrayList<>();
      d.onCommand = r -> commands.add(OperatorE2eTest.stepOf(r));
      d.setup();
      List<SimRegion> regions = d.cluster.sortedRegions();
      SimRegion source = regions.get(0);
      SimRegion target = regions.get(1);
      OperatorE2eTest.tickAndSync(d);

      http.addOperator("{\"name\":\"merge-region\",\"source_region_id\":" + source.id()
          + ",\"target_region_id\":" + target.id() + "}").expectOk("add merge-region");
      Pdpb.GetOperatorResponse running = OperatorE2eTest.operator(client, target.id());
      assertThat(running.getDesc().toStringUtf8()).isEqualTo("admin-merge-region");
      assertThat(OperatorE2eTest.operator(client, source.id()).getStatus())
          .isEqualTo(Pdpb.OperatorStatus.RUNNING);

      for (int i = 0; i < 200 && !(source.removed && OperatorE2eTest.operator(client, target.id())
          .getStatus() == Pdpb.OperatorStatus.SUCCESS); i++) {
        OperatorE2eTest.tickAndSync(d);
      }
      assertThat(source.removed).as("the source merged away; commands %s", commands).isTrue();
      assertThat(OperatorE2eTest.operator(client, target.id()).getStatus())
          .isEqualTo(Pdpb.OperatorStatus.SUCCESS);
      assertThat(commands).containsOnly("merge");
      assertThat(d.cluster.sortedRegions()).hasSize(1);
      assertThat(target.meta.getStartKey().isEmpty()).isTrue();
      assertThat(target.meta.getEndKey().isEmpty()).isTrue();
      assertThat(Checks.pdMatches(d)).isNull();
    }
  }
}
