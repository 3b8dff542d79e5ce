package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin operators end to end: a real jpd daemon (in process, on the simulator's clock), the
 * operator added over its HTTP API as pd-ctl would, its steps sent on the region heartbeat
 * streams of simulated stores that carry them out as TiKV does, and the outcome read back over
 * gRPC (GetOperator) and from both sides' view of the region.
 *
 * <p>One region with three replicas on the first three of four stores; the leader is on the
 * first. Each test ticks the simulator one second at a time and, after each tick, waits until
 * the PD has seen every report (its region equals the stores'), so the PD's reaction to a tick
 * is in the stores' queue before the next one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OperatorE2eTest {
  private static final int MAX_TICKS = 400;

  @TempDir Path dir;
  private InProcessPd pd;
  private PdClient client;
  private PdHttp http;
  private Driver d;
  private final List<String> steps = new ArrayList<>();
  private List<Long> stores;
  private SimRegion region;

  @BeforeEach
  void setUp() throws Exception {
    SimClock clock = new SimClock(1_700_000_000_000L);
    pd = new InProcessPd(dir, clock);
    client = new PdClient(pd.address());
    http = new PdHttp(pd.httpAddress());
    SimCase c = new SimCase("operators", "one region on three of four stores", null,
        SimConfig.defaults(),
        new SimCase.Layout(4, 1, 8 * SimConfig.MIB, 1000, SimCase.roundRobin(3), SimCase.noLabels()),
        (drv, tick) -> { }, drv -> SimCase.Verdict.notYet(""), 600_000);
    d = new Driver(client, c, clock, 0);
    d.onCommand = r -> {
      String s = stepOf(r);
      if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(s)) {
        steps.add(s); // the PD re-sends a step until it is seen done: count it once
      }
    };
    d.setup();
    stores = List.copyOf(d.cluster.stores.keySet());
    region = d.cluster.sortedRegions().get(0);
    tickAndSync();
    assertThat(region.leader().getStoreId()).isEqualTo(stores.get(0));
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (pd != null) {
      pd.close();
    }
  }

  @Test
  void transferRegionRunsEveryStepOfAJointConsensusPlan() throws Exception {
    long confVer = region.meta.getRegionEpoch().getConfVer();
    http.addOperator(PdHttp.transferRegion(region.id(),
        List.of(stores.get(0), stores.get(1), stores.get(3)))).expectOk("add transfer-region");

    assertThat(runUntilEnded()).as(this::diagnostics).isEqualTo(Pdpb.OperatorStatus.SUCCESS);
    assertThat(steps).containsExactly("add-learner", "enter-joint", "leave-joint", "remove-peer");
    assertThat(region.meta.getPeersList()).extracting(Metapb.Peer::getStoreId)
        .containsExactlyInAnyOrder(stores.get(0), stores.get(1), stores.get(3));
    assertThat(region.meta.getPeersList()).extracting(Metapb.Peer::getRole)
        .containsOnly(Metapb.PeerRole.Voter);
    // add learner +1, enter joint +2 (promote and demote), leave joint +2, remove peer +1
    assertThat(region.meta.getRegionEpoch().getConfVer()).isEqualTo(confVer + 6);
    assertThat(region.pending).isEmpty();
    assertThat(operator().getDesc().toStringUtf8()).isEqualTo("admin-move-region");
    assertThat(operator().getKind().toStringUtf8()).contains("admin");
    assertThat(Checks.pdMatches(d)).isNull();
  }

  @Test
  void transferLeaderCompletes() throws Exception {
    http.addOperator(PdHttp.transferLeader(region.id(), stores.get(1)))
        .expectOk("add transfer-leader");

    assertThat(runUntilEnded()).as(this::diagnostics).isEqualTo(Pdpb.OperatorStatus.SUCCESS);
    assertThat(steps).containsExactly("transfer-leader");
    assertThat(region.leader().getStoreId()).isEqualTo(stores.get(1));
    assertThat(operator().getDesc().toStringUtf8()).isEqualTo("admin-transfer-leader");
    assertThat(Checks.pdMatches(d)).isNull();
  }

  @Test
  void splitRegionAtAKeyCompletes() throws Exception {
    // The simulator's keys are 8-byte numbers: a quarter of the way into the key space.
    byte[] key = Keys.key(java.math.BigInteger.ONE.shiftLeft(62)).toByteArray();
    http.addOperator(PdHttp.splitRegion(region.id(), "usekey",
        List.of(HexFormat.of().formatHex(key)))).expectOk("add split-region");

    assertThat(runUntilEnded()).as(this::diagnostics).isEqualTo(Pdpb.OperatorStatus.SUCCESS);
    assertThat(steps).containsExactly("split");
    List<SimRegion> regions = d.cluster.sortedRegions();
    assertThat(regions).hasSize(2);
    assertThat(regions.get(0).meta.getEndKey().toByteArray()).isEqualTo(key);
    assertThat(regions.get(1).meta.getStartKey().toByteArray()).isEqualTo(key);
    assertThat(operator().getDesc().toStringUtf8()).isEqualTo("admin-split-region");
    assertThat(Checks.pdMatches(d)).isNull();
  }

  @Test
  void aStepLostWithABrokenStreamIsSentAgainAfterTheStoreReconnects() throws Exception {
    long leaderStore = region.leader().getStoreId();
    int opened = client.streamsOpened.get();
    http.addOperator(PdHttp.transferRegion(region.id(),
        List.of(stores.get(0), stores.get(1), stores.get(3)))).expectOk("add transfer-region");
    // The first step is sent when the operator is added. Break the leader's stream and drop what
    // it delivered, as a TiKV restart would: the step is lost on the way.
    Await.until("the first step to reach the leader's store", Duration.ofSeconds(10),
        () -> !client.responses.isEmpty());
    client.closeStream(leaderStore);
    client.responses.clear();

    assertThat(runUntilEnded()).as(this::diagnostics).isEqualTo(Pdpb.OperatorStatus.SUCCESS);
    assertThat(client.streamsOpened.get()).isGreaterThan(opened);
    assertThat(steps).containsExactly("add-learner", "enter-joint", "leave-joint", "remove-peer");
    assertThat(region.meta.getPeersList()).extracting(Metapb.Peer::getStoreId)
        .containsExactlyInAnyOrder(stores.get(0), stores.get(1), stores.get(3));
    assertThat(Checks.pdMatches(d)).isNull();
  }

  // ---- harness ----

  /** Ticks until the region's operator has ended; its final pdpb status. */
  private Pdpb.OperatorStatus runUntilEnded() throws InterruptedException {
    for (int i = 0; i < MAX_TICKS; i++) {
      tickAndSync();
      Pdpb.GetOperatorResponse op = operator();
      if (!op.getHeader().hasError() && op.getStatus() != Pdpb.OperatorStatus.RUNNING) {
        return op.getStatus();
      }
    }
    throw new AssertionError("operator still running after " + MAX_TICKS + " ticks; steps seen "
        + steps + "; " + operator() + "\n" + d.state());
  }

  private String diagnostics() {
    return "steps seen " + steps + "; refused " + d.cluster.refused + " last: " + d.cluster.lastRefusal
        + "\n" + d.state();
  }

  private void tickAndSync() throws InterruptedException {
    tickAndSync(d);
  }

  private Pdpb.GetOperatorResponse operator() {
    return operator(client, region.id());
  }

  /** One tick, then wait until the PD's view of the regions is the stores'. */
  static void tickAndSync(Driver d) throws InterruptedException {
    d.tick();
    Await.until("the PD to see every report of the tick", Duration.ofSeconds(10),
        () -> Checks.pdMatches(d) == null);
  }

  /** GetOperator of the region, as TiKV asks it. */
  static Pdpb.GetOperatorResponse operator(PdClient client, long regionId) {
    return client.pd().getOperator(Pdpb.GetOperatorRequest.newBuilder()
        .setHeader(client.header()).setRegionId(regionId).build());
  }

  /** What kind of step a command is, in the words of the simulator's raft model. */
  static String stepOf(Pdpb.RegionHeartbeatResponse r) {
    if (r.hasTransferLeader()) {
      return "transfer-leader";
    }
    if (r.hasSplitRegion()) {
      return "split";
    }
    if (r.hasMerge()) {
      return "merge";
    }
    List<Pdpb.ChangePeer> changes = r.hasChangePeerV2() ? r.getChangePeerV2().getChangesList()
        : r.hasChangePeer() ? List.of(r.getChangePeer()) : List.of();
    if (r.hasChangePeerV2() && changes.isEmpty()) {
      return "leave-joint";
    }
    if (changes.size() > 1) {
      return "enter-joint";
    }
    if (changes.size() == 1) {
      ConfChangeType t = changes.get(0).getChangeType();
      return switch (t) {
        case AddLearnerNode -> "add-learner";
        case AddNode -> "add-voter";
        case RemoveNode -> "remove-peer";
        default -> t.name();
      };
    }
    return "other: " + r;
  }
}
