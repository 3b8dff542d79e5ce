package dev.jpd.server.grpc;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static dev.jpd.server.testing.TestPd.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.TestPd;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class ClusterRpcTest {
  @TempDir Path dir;
  TestPd pd;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  @Test
  void getMembersAcceptsClusterIdZeroAndNamesAReachableLeader() {
    Pdpb.GetMembersResponse r =
        pd.pd().getMembers(Pdpb.GetMembersRequest.newBuilder().build());
    assertThat(r.getHeader().getClusterId()).isNotZero().isEqualTo(pd.clusterId());
    assertThat(r.getLeader().getMemberId()).isNotZero();
    assertThat(r.getEtcdLeader()).isEqualTo(r.getLeader());
    assertThat(r.getMembersList()).containsExactly(r.getLeader());
    assertThat(r.getLeader().getClientUrls(0))
        .isEqualTo("http://127.0.0.1:" + pd.server().grpcPort());
  }

  @Test
  void getClusterInfoAnswersPdServiceMode() {
    Pdpb.GetClusterInfoResponse r =
        pd.pd().getClusterInfo(Pdpb.GetClusterInfoRequest.getDefaultInstance());
    assertThat(r.getHeader().getClusterId()).isEqualTo(pd.clusterId());
    assertThat(r.getServiceModesList()).containsExactly(Pdpb.ServiceMode.PD_SVC_MODE);
  }

  @Test
  void aWrongClusterIdIsRefusedWithFailedPrecondition() {
    for (long wrong : new long[] {0, pd.clusterId() + 1}) {
      Pdpb.RequestHeader h = Pdpb.RequestHeader.newBuilder().setClusterId(wrong).build();
      assertThatThrownBy(
              () -> pd.pd().isBootstrapped(Pdpb.IsBootstrappedRequest.newBuilder().setHeader(h).build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription())
                    .contains("mismatch cluster id")
                    .contains(Long.toUnsignedString(pd.clusterId()));
              });
    }
  }

  static Stream<Arguments> needBootstrap() {
    Function<TestPd, Pdpb.ResponseHeader> getStore =
        p -> p.pd().getStore(Pdpb.GetStoreRequest.newBuilder().setHeader(p.header()).setStoreId(1).build()).getHeader();
    Function<TestPd, Pdpb.ResponseHeader> putStore =
        p -> p.pd().putStore(Pdpb.PutStoreRequest.newBuilder().setHeader(p.header()).setStore(store(1)).build()).getHeader();
    Function<TestPd, Pdpb.ResponseHeader> allStores =
        p -> p.pd().getAllStores(Pdpb.GetAllStoresRequest.newBuilder().setHeader(p.header()).build()).getHeader();
    Function<TestPd, Pdpb.ResponseHeader> getRegion =
        p -> p.pd().getRegion(Pdpb.GetRegionRequest.newBuilder().setHeader(p.header()).build()).getHeader();
    Function<TestPd, Pdpb.ResponseHeader> scan =
        p -> p.pd().scanRegions(Pdpb.ScanRegionsRequest.newBuilder().setHeader(p.header()).build()).getHeader();
    Function<TestPd, Pdpb.ResponseHeader> clusterConfig =
        p -> p.pd().getClusterConfig(Pdpb.GetClusterConfigRequest.newBuilder().setHeader(p.header()).build()).getHeader();
    Function<TestPd, Pdpb.ResponseHeader> gc =
        p -> p.pd().getGCSafePoint(Pdpb.GetGCSafePointRequest.newBuilder().setHeader(p.header()).build()).getHeader();
    Function<TestPd, Pdpb.ResponseHeader> storeHb =
        p -> p.pd().storeHeartbeat(Pdpb.StoreHeartbeatRequest.newBuilder().setHeader(p.header()).setStats(Pdpb.StoreStats.newBuilder().setStoreId(1)).build()).getHeader();
    return Stream.of(
        Arguments.of("GetStore", getStore),
        Arguments.of("PutStore", putStore),
        Arguments.of("GetAllStores", allStores),
        Arguments.of("GetRegion", getRegion),
        Arguments.of("ScanRegions", scan),
        Arguments.of("GetClusterConfig", clusterConfig),
        Arguments.of("GetGCSafePoint", gc),
        Arguments.of("StoreHeartbeat", storeHb));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("needBootstrap")
  void requestsBeforeBootstrapGetNotBootstrapped(
      String rpc, Function<TestPd, Pdpb.ResponseHeader> call) {
    Pdpb.ResponseHeader h = call.apply(pd);
    assertThat(h.getClusterId()).isEqualTo(pd.clusterId());
    assertThat(h.getError().getType()).isEqualTo(Pdpb.ErrorType.NOT_BOOTSTRAPPED);
    assertThat(h.getError().getMessage()).contains("not bootstrapped");
  }

  @Test
  void bootstrapOnceThenAlreadyBootstrapped() {
    assertThat(isBootstrapped()).isFalse();
    pd.bootstrap();
    assertThat(isBootstrapped()).isTrue();
    Pdpb.BootstrapResponse again =
        pd.pd().bootstrap(
                Pdpb.BootstrapRequest.newBuilder()
                    .setHeader(pd.header())
                    .setStore(store(1))
                    .setRegion(region(2, "", "", 1, 1, peer(3, 1)))
                    .build());
    assertThat(again.getHeader().getError().getType())
        .isEqualTo(Pdpb.ErrorType.ALREADY_BOOTSTRAPPED);
    Pdpb.GetClusterConfigResponse cfg =
        pd.pd().getClusterConfig(Pdpb.GetClusterConfigRequest.newBuilder().setHeader(pd.header()).build());
    assertThat(cfg.getCluster().getId()).isEqualTo(pd.clusterId());
    assertThat(cfg.getCluster().getMaxPeerCount()).isEqualTo(3);
    Pdpb.GetRegionResponse r =
        pd.pd().getRegionByID(Pdpb.GetRegionByIDRequest.newBuilder().setHeader(pd.header()).setRegionId(2).build());
    assertThat(r.getRegion().getId()).isEqualTo(2);
    assertThat(r.getLeader()).isEqualTo(peer(3, 1));
  }

  static Stream<Arguments> badBootstraps() {
    return Stream.of(
        Arguments.of("no store", Metapb.Store.getDefaultInstance(), region(2, "", "", 1, 1, peer(3, 1)), "missing store"),
        Arguments.of("store id 0", store(1).toBuilder().setId(0).build(), region(2, "", "", 1, 1, peer(3, 1)), "zero store id"),
        Arguments.of("no region", store(1), Metapb.Region.getDefaultInstance(), "missing region"),
        Arguments.of("region id 0", store(1), region(0, "", "", 1, 1, peer(3, 1)), "zero region id"),
        Arguments.of("start key", store(1), region(2, "a", "", 1, 1, peer(3, 1)), "start key"),
        Arguments.of("end key", store(1), region(2, "", "z", 1, 1, peer(3, 1)), "end key"),
        Arguments.of("two peers", store(1), region(2, "", "", 1, 1, peer(3, 1), peer(4, 2)), "peer number"),
        Arguments.of("peer elsewhere", store(1), region(2, "", "", 1, 1, peer(3, 9)), "peer store"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBootstraps")
  void aBadBootstrapIsRefusedAndChangesNothing(
      String name, Metapb.Store s, Metapb.Region r, String message) {
    Pdpb.BootstrapResponse resp =
        pd.pd().bootstrap(Pdpb.BootstrapRequest.newBuilder().setHeader(pd.header()).setStore(s).setRegion(r).build());
    assertThat(resp.getHeader().getError().getType()).isEqualTo(Pdpb.ErrorType.UNKNOWN);
    assertThat(resp.getHeader().getError().getMessage()).contains(message);
    assertThat(isBootstrapped()).isFalse();
    pd.bootstrap(); // and a good one still works afterwards
    assertThat(isBootstrapped()).isTrue();
  }

  @Test
  void allocIdAnswersTheLastIdOfEachBatchAndNeverRepeats() {
    Set<Long> seen = new HashSet<>();
    for (int count : new int[] {0, 1, 5, 1000, 2500, 3}) {
      Pdpb.AllocIDResponse r =
          pd.pd().allocID(Pdpb.AllocIDRequest.newBuilder().setHeader(pd.header()).setCount(count).build());
      int n = Math.max(1, count);
      assertThat(r.getCount()).isEqualTo(n);
      for (long id = r.getId() - n + 1; id <= r.getId(); id++) {
        assertThat(seen.add(id)).as("id %d handed out twice", id).isTrue();
      }
    }
  }

  @Test
  void clusterConfigCanBeReplacedButNotWithAnotherClusterId() {
    pd.bootstrap();
    Metapb.Cluster c = Metapb.Cluster.newBuilder().setId(pd.clusterId()).setMaxPeerCount(5).build();
    Pdpb.PutClusterConfigResponse ok =
        pd.pd().putClusterConfig(Pdpb.PutClusterConfigRequest.newBuilder().setHeader(pd.header()).setCluster(c).build());
    assertThat(ok.getHeader().hasError()).isFalse();
    Pdpb.PutClusterConfigResponse bad =
        pd.pd().putClusterConfig(
                Pdpb.PutClusterConfigRequest.newBuilder()
                    .setHeader(pd.header())
                    .setCluster(c.toBuilder().setId(pd.clusterId() + 1).setMaxPeerCount(7))
                    .build());
    assertThat(bad.getHeader().getError().getMessage()).contains("mismatch cluster id");
    assertThat(
            pd.pd().getClusterConfig(Pdpb.GetClusterConfigRequest.newBuilder().setHeader(pd.header()).build())
                .getCluster())
        .isEqualTo(c);
  }

  @Test
  void snapshotRecoveringIsFalseWithoutBrsMarker() {
    Pdpb.IsSnapshotRecoveringResponse r =
        pd.pd().isSnapshotRecovering(Pdpb.IsSnapshotRecoveringRequest.newBuilder().setHeader(pd.header()).build());
    assertThat(r.getMarked()).isFalse();
  }

  @Test
  void rpcsNotServedYetAnswerUnimplementedNamingTheMethod() {
    PDGrpc.PDBlockingStub s = pd.pd();
    assertThatThrownBy(() -> s.scatterRegion(Pdpb.ScatterRegionRequest.newBuilder().setHeader(pd.header()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
              assertThat(e.getStatus().getDescription()).contains("pdpb.PD/ScatterRegion");
            });
    assertThatThrownBy(() -> s.getMinTS(Pdpb.GetMinTSRequest.newBuilder().setHeader(pd.header()).build()))
        .hasMessageContaining("UNIMPLEMENTED")
        .hasMessageContaining("pdpb.PD/GetMinTS");
  }

  private boolean isBootstrapped() {
    return pd.pd()
        .isBootstrapped(Pdpb.IsBootstrappedRequest.newBuilder().setHeader(pd.header()).build())
        .getBootstrapped();
  }
}
