package dev.jpd.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.BuildResult;
import dev.jpd.core.operator.BuilderCluster;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorCreator;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.StoresView;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators over gRPC: GetOperator as TiKV and clients call it, and the heartbeat streams that
 * carry the steps — one per store, rebound when the store reconnects, losing no operator.
 * Region 2 has voters on stores 1 (leader) and 2; store 3 is empty.
 */
@Timeout(60)
class OperatorRpcTest {
  @TempDir Path dir;
  TestPd pd;
  Metapb.Region region;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.pauseCheckers(); // the two-peer region below is the admin operators' alone
    pd.bootstrapThreeStores();
    region = TestPd.region(2, "", "", 2, 1, TestPd.peer(3, 1), TestPd.peer(4, 2));
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  private Pdpb.GetOperatorResponse getOperator(long regionId) {
    return pd.pd().getOperator(
        Pdpb.GetOperatorRequest.newBuilder().setHeader(pd.header()).setRegionId(regionId).build());
  }

  private void report(RegionHeartbeatStream stream, Metapb.Region r) {
    stream.send(pd.heartbeat(r, r.getPeers(0)));
    Await.until("the PD to cache conf_ver " + r.getRegionEpoch().getConfVer(), Duration.ofSeconds(10),
        () -> pd.server().cluster().regions().getRegion(r.getId()) != null
            && pd.server().cluster().regions().getRegion(r.getId()).confVer() == r.getRegionEpoch().getConfVer()
            && pd.server().cluster().regions().getRegion(r.getId()).pendingPeers().isEmpty());
  }

  @Test
  void thePushTickSendsTheStepAgainWhenTheRegionIsQuiet() throws Exception {
    try (RegionHeartbeatStream stream = pd.heartbeats()) {
      report(stream, region);
      Operator op = OperatorCreator.createTransferLeaderOperator("admin-transfer-leader", view(),
          pd.server().cluster().regions().getRegion(2), 2, java.util.List.of(), OpKind.ADMIN.bit(),
          System.currentTimeMillis()).orElseThrow();
      assertThat(pd.server().operators().add(op).accepted()).isTrue();
      Pdpb.RegionHeartbeatResponse sent = stream.next(Duration.ofSeconds(10));
      assertThat(sent.getTransferLeader().getPeer().getStoreId()).isEqualTo(2);
      // No heartbeat follows: the next copy can only come from the push tick (PD's 2 s for a
      // leader transfer, checked every 500 ms).
      Pdpb.RegionHeartbeatResponse pushed = stream.next(Duration.ofSeconds(10));
      assertThat(pushed).as("the step pushed again").isNotNull();
      assertThat(pushed.getTransferLeader()).isEqualTo(sent.getTransferLeader());
    }
  }

  private BuilderCluster view() {
    return new StoresView(pd.server(), () -> 100);
  }

  /** Adds an admin add-learner of store 3 to region 2, as the HTTP API would. */
  private Operator addLearner() {
    BuilderCluster view = view();
    BuildResult<Operator> op = OperatorCreator.createAddLearnerOperator("admin-add-learner", view,
        pd.server().cluster().regions().getRegion(2), 3, OpKind.ADMIN.bit(), System.currentTimeMillis());
    assertThat(op.errors()).isEmpty();
    assertThat(pd.server().operators().add(op.value()).accepted()).isTrue();
    return op.value();
  }

  @Test
  void getOperatorOfARegionWithoutOneIsPdsRegionNotFound() {
    Pdpb.GetOperatorResponse r = getOperator(2);
    assertThat(r.getHeader().getError().getType()).isEqualTo(Pdpb.ErrorType.REGION_NOT_FOUND);
    assertThat(r.getHeader().getError().getMessage()).isEqualTo("Not Found");
    assertThat(r.getRegionId()).isZero();
  }

  @Test
  void aStepLostOnABrokenStreamIsSentOnTheReconnectedOneAndTheOperatorFinishes() throws Exception {
    RegionHeartbeatStream first = pd.heartbeats();
    report(first, region);
    addLearner();
    Pdpb.RegionHeartbeatResponse sent = first.next(Duration.ofSeconds(10));
    assertThat(sent).isNotNull();
    Pdpb.ChangePeer change = sent.getChangePeerV2().getChanges(0);
    assertThat(change.getChangeType()).isEqualTo(ConfChangeType.AddLearnerNode);
    assertThat(change.getPeer().getStoreId()).isEqualTo(3);

    Pdpb.GetOperatorResponse running = getOperator(2);
    assertThat(running.getStatus()).isEqualTo(Pdpb.OperatorStatus.RUNNING);
    assertThat(running.getDesc().toStringUtf8()).isEqualTo("admin-add-learner");
    assertThat(running.getKind().toStringUtf8()).isEqualTo("admin,region");
    assertThat(running.getRegionId()).isEqualTo(2);

    // The store's stream breaks before the step is carried out; the store comes back on a new one.
    first.close();
    try (RegionHeartbeatStream second = pd.heartbeats()) {
      second.send(pd.heartbeat(region, region.getPeers(0)));
      Pdpb.RegionHeartbeatResponse again = second.next(Duration.ofSeconds(10));
      assertThat(again).as("the step sent again on the new stream").isNotNull();
      assertThat(again.getChangePeerV2().getChanges(0)).isEqualTo(change);
      assertThat(again.getTargetPeer()).isEqualTo(region.getPeers(0));

      Metapb.Region withLearner = region.toBuilder()
          .addPeers(change.getPeer())
          .setRegionEpoch(region.getRegionEpoch().toBuilder().setConfVer(3))
          .build();
      report(second, withLearner);
      Await.until("the operator to succeed", Duration.ofSeconds(10),
          () -> getOperator(2).getStatus() == Pdpb.OperatorStatus.SUCCESS);
    }
    assertThat(pd.server().operators().get(2)).isEmpty();
    assertThat(pd.server().operators().getWithRecord(2)).isPresent();
  }
}
