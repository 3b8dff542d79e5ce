package dev.jpd.server;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.EtcdHarness;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stores, regions, ids and timestamps survive a clean restart, on both MetaStores. */
@Timeout(120)
class RestartTest {
  @TempDir Path dir;

  @Test
  void embeddedStoreKeepsEverythingAcrossARestart() {
    try (TestPd pd = TestPd.start(dir)) {
      survives(pd);
    }
  }

  @Test
  void etcdKeepsEverythingAcrossARestart() throws Exception {
    try (EtcdHarness etcd = EtcdHarness.start();
        TestPd pd = TestPd.start(ServerOptions.forTest(dir).withEtcd(List.of(etcd.endpoint())))) {
      survives(pd);
    }
  }

  private void survives(TestPd pd) {
    long clusterId = pd.clusterId();
    pd.bootstrap();
    pd.putStore(2);
    pd.putStore(3);
    Metapb.Region left = region(2, "", "m", 3, 2, peer(3, 1), peer(4, 2), peer(5, 3));
    Metapb.Region right = region(10, "m", "", 3, 2, peer(11, 1), peer(12, 2), peer(13, 3));
    try (RegionHeartbeatStream s = pd.heartbeats()) {
      s.send(pd.heartbeat(left, peer(3, 1)));
      s.send(pd.heartbeat(right, peer(12, 2)));
      Await.until("split reported", Duration.ofSeconds(10), () -> pd.server().cluster().regions().size() == 2);
    }
    long lastId = pd.pd().allocID(Pdpb.AllocIDRequest.newBuilder().setHeader(pd.header()).setCount(5).build()).getId();

    pd.restart();

    assertThat(pd.clusterId()).isEqualTo(clusterId);
    assertThat(
            pd.pd().isBootstrapped(Pdpb.IsBootstrappedRequest.newBuilder().setHeader(pd.header()).build()).getBootstrapped())
        .isTrue();
    assertThat(
            pd.pd().getAllStores(Pdpb.GetAllStoresRequest.newBuilder().setHeader(pd.header()).build()).getStoresList())
        .extracting(Metapb.Store::getId)
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(pd.server().cluster().regions().all().stream().map(RegionInfo::meta).toList())
        .containsExactly(left, right);
    long nextId = pd.pd().allocID(Pdpb.AllocIDRequest.newBuilder().setHeader(pd.header()).build()).getId();
    assertThat(nextId).isGreaterThan(lastId);
  }
}
