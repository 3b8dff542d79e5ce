package dev.jpd.server.cluster;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the cluster tells the checkers beyond PD: regions that need repair the moment they are
 * classified, stores whose state changed, and the regions a store asked to split.
 */
class CheckerHooksTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;
  TestPd pd;
  RegionHeartbeatStream stream;
  final Set<Long> needRepair = ConcurrentHashMap.newKeySet();
  final Set<Long> storesChanged = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.pauseCheckers();
    pd.bootstrap();
    for (long id = 2; id <= 4; id++) {
      pd.putStore(id);
    }
    pd.server().clusterHealth().watch(new ClusterHealth.Watcher() {
      @Override
      public void regionNeedsRepair(long regionId) {
        needRepair.add(regionId);
      }

      @Override
      public void storeStateChanged(long storeId) {
        storesChanged.add(storeId);
      }
    });
    stream = pd.heartbeats();
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  private void send(Metapb.Region r) {
    stream.send(pd.heartbeat(r, r.getPeers(0)));
    Await.until("region " + r.getId() + " cached", WAIT, () -> {
      var cached = pd.server().cluster().regions().getRegion(r.getId());
      return cached != null && cached.confVer() == r.getRegionEpoch().getConfVer();
    });
  }

  @Test
  void aRegionShortOfAReplicaIsReportedAndAHealthyOneIsNot() {
    send(region(2, "", "m", 3, 1, peer(3, 1), peer(4, 2), peer(5, 3)));
    send(region(6, "m", "", 2, 1, peer(7, 1), peer(8, 2)));
    assertThat(needRepair).containsExactly(6L);
  }

  @Test
  void aStoreTakenOfflineIsReported() {
    send(region(2, "", "", 3, 1, peer(3, 1), peer(4, 2), peer(5, 3)));
    pd.server().storeLifecycle().removeStore(3, false);
    assertThat(storesChanged).contains(3L);
    assertThat(needRepair).as("its region is now offline-peer").contains(2L);
  }

  @Test
  void askBatchSplitReportsTheOriginalAndTheNewRegions() {
    Metapb.Region r = region(2, "", "", 3, 1, peer(3, 1), peer(4, 2), peer(5, 3));
    send(r);
    List<long[]> asked = new ArrayList<>();
    pd.server().cluster().onSplitAsked(asked::add);
    Pdpb.AskBatchSplitResponse resp = pd.pd().askBatchSplit(Pdpb.AskBatchSplitRequest.newBuilder()
        .setHeader(pd.header()).setRegion(r).setSplitCount(2).build());
    assertThat(resp.getIdsCount()).isEqualTo(2);
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0)).containsExactly(2,
        resp.getIds(0).getNewRegionId(), resp.getIds(1).getNewRegionId());
  }
}
