package dev.jpd.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.BuilderCluster;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorCreator;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.StoresView;
import dev.jpd.core.testing.TestClock;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heartbeat path hands every reported region to the operator controller, on the server's
 * injected clock. The clock stands still unless a test moves it, so the push tick (which
 * re-sends only 2 s after its last push) sends nothing: every step seen here was sent because
 * a heartbeat came in.
 */
@Timeout(60)
class HeartbeatDispatchTest {
  @TempDir Path dir;
  TestClock clock = TestClock.atNow();
  TestPd pd;
  RegionHeartbeatStream stream;
  Metapb.Region region = TestPd.region(2, "", "", 2, 1, TestPd.peer(3, 1), TestPd.peer(4, 2));

  @BeforeEach
  void start() {
    pd = TestPd.start(dir, clock);
    pd.bootstrap();
    pd.putStore(2);
    pd.storeHeartbeat(1);
    pd.storeHeartbeat(2);
    stream = pd.heartbeats();
    stream.send(pd.heartbeat(region, region.getPeers(0)));
    dev.jpd.server.testing.Await.until("the PD to cache the region", Duration.ofSeconds(10),
        () -> pd.server().cluster().regions().getRegion(2).confVer() == 2);
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  private Operator transferLeader() {
    BuilderCluster view = StoresView.noNewPeers(pd.server());
    Operator op = OperatorCreator.createTransferLeaderOperator("admin-transfer-leader", view,
        pd.server().cluster().regions().getRegion(2), 2, List.of(), OpKind.ADMIN.bit(),
        clock.millis()).orElseThrow();
    assertThat(pd.server().operators().add(op).accepted()).isTrue();
    return op;
  }

  private Pdpb.OperatorStatus status() {
    return pd.pd().getOperator(Pdpb.GetOperatorRequest.newBuilder().setHeader(pd.header())
        .setRegionId(2).build()).getStatus();
  }

  @Test
  void everyHeartbeatSendsTheCurrentStepAgainUntilTheRegionShowsItDone() throws Exception {
    transferLeader();
    assertThat(stream.next(Duration.ofSeconds(10))).as("sent when added").isNotNull();
    for (int i = 0; i < 3; i++) {
      stream.send(pd.heartbeat(region, region.getPeers(0)));
      Pdpb.RegionHeartbeatResponse again = stream.next(Duration.ofSeconds(10));
      assertThat(again).as("sent again for heartbeat %d", i).isNotNull();
      assertThat(again.getTransferLeader().getPeer().getStoreId()).isEqualTo(2);
    }
    assertThat(status()).isEqualTo(Pdpb.OperatorStatus.RUNNING);

    clock.advance(Duration.ofSeconds(1));
    try (RegionHeartbeatStream store2 = pd.heartbeats()) {
      store2.send(pd.heartbeat(region, region.getPeers(1)));
      dev.jpd.server.testing.Await.until("the operator to succeed", Duration.ofSeconds(10),
          () -> status() == Pdpb.OperatorStatus.SUCCESS);
    }
  }

  @Test
  void aStepNotDoneWithinItsTimeoutOnTheServersClockTimesTheOperatorOut() throws Exception {
    Operator op = transferLeader();
    assertThat(stream.next(Duration.ofSeconds(10))).isNotNull();
    clock.advance(op.timeout().plusSeconds(1));
    stream.send(pd.heartbeat(region, region.getPeers(0)));
    dev.jpd.server.testing.Await.until("the operator to time out", Duration.ofSeconds(10),
        () -> status() == Pdpb.OperatorStatus.TIMEOUT);
    assertThat(pd.server().operators().get(2)).isEmpty();
  }
}
