package dev.jpd.server.cluster;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.operator.LimitType;
import dev.jpd.core.statistics.RegionStatisticType;
import dev.jpd.core.storelimit.StoreLimits;
import dev.jpd.proto.Metapb;
import dev.jpd.scheduler.operator.OperatorController;
import dev.jpd.server.testing.Await;
import dev.jpd.core.testing.TestClock;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Store transitions driven by an injected clock and direct calls to the store check. */
@Timeout(60)
class StoreLifecycleTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  /** Region 2 over every key on stores 1-3. */
  static final Metapb.Region R2 = region(2, "", "", 3, 1, peer(3, 1), peer(4, 2), peer(5, 3));

  @TempDir Path dir;
  final TestClock clock = TestClock.atNow();
  TestPd pd;
  RegionHeartbeatStream stream;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir, clock);
    pd.bootstrap();
    for (long id = 2; id <= 5; id++) {
      pd.putStore(id);
    }
    stream = pd.heartbeats();
    send(R2);
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  void send(Metapb.Region r) {
    stream.send(pd.heartbeat(r, r.getPeers(0)));
    Await.until("region " + r.getId() + " conf_ver " + r.getRegionEpoch().getConfVer(), WAIT, () -> {
      var cached = pd.server().cluster().regions().getRegion(r.getId());
      return cached != null && cached.confVer() == r.getRegionEpoch().getConfVer();
    });
  }

  StoreLifecycle life() {
    return pd.server().storeLifecycle();
  }

  Metapb.Store meta(long id) {
    return pd.server().cluster().stores().get(id).meta();
  }

  String stateName(long id) {
    return pd.server().clusterHealth().storeStatus(id).stateName();
  }

  int count(RegionStatisticType t) {
    return pd.server().clusterHealth().statistics().count(t);
  }

  @Test
  void preparingStoresServeAfterTheCheckAndThatIsPersisted() {
    assertThat(meta(2).getNodeState()).isEqualTo(Metapb.NodeState.Preparing);
    life().checkStores();
    for (long id = 1; id <= 5; id++) {
      assertThat(meta(id).getNodeState()).as("store " + id).isEqualTo(Metapb.NodeState.Serving);
      assertThat(meta(id).getState()).isEqualTo(Metapb.StoreState.Up);
    }
    stream.close();
    pd.restart();
    stream = pd.heartbeats();
    assertThat(meta(2).getNodeState()).isEqualTo(Metapb.NodeState.Serving);
  }

  @Test
  void silenceMakesAStoreDisconnectedThenDownAndAHeartbeatBringsItBack() {
    assertThat(stateName(3)).isEqualTo("Up");
    clock.advance(Duration.ofSeconds(21));
    assertThat(stateName(3)).isEqualTo("Disconnected");
    assertThat(count(RegionStatisticType.DOWN_PEER)).isZero();

    clock.advance(Duration.ofMinutes(30));
    pd.storeHeartbeat(1);
    pd.storeHeartbeat(2);
    life().checkStores();
    assertThat(stateName(1)).isEqualTo("Up");
    assertThat(stateName(3)).isEqualTo("Down");
    assertThat(count(RegionStatisticType.DOWN_PEER)).as("region 2 has a peer on Down store 3").isEqualTo(1);

    pd.storeHeartbeat(3);
    assertThat(stateName(3)).isEqualTo("Up");
    assertThat(count(RegionStatisticType.DOWN_PEER)).as("no check needed to see it back").isZero();
  }

  @Test
  void removingTooManyStoresIsRefusedWithTheReasonAndChangesNothing() {
    life().removeStore(5, false);
    life().removeStore(4, false);
    assertThat(meta(4).getState()).isEqualTo(Metapb.StoreState.Offline);
    assertThatThrownBy(() -> life().removeStore(3, false))
        .isInstanceOf(StoreLifecycle.StoreStateException.class)
        .hasMessage("can not remove store 3 since the number of up stores would be 2 while need 3");
    assertThat(meta(3).getState()).isEqualTo(Metapb.StoreState.Up);
    assertThat(count(RegionStatisticType.OFFLINE_PEER)).isZero();
  }

  @Test
  void aDrainedStoreIsBuriedByItsNextHeartbeatWithoutWaitingForTheStoreCheck() {
    life().removeStore(3, false);
    pd.storeHeartbeat(3);
    assertThat(meta(3).getState()).as("still holds region 2").isEqualTo(Metapb.StoreState.Offline);
    send(region(2, "", "", 5, 1, peer(3, 1), peer(4, 2), peer(6, 4)));
    pd.storeHeartbeat(3);
    assertThat(meta(3).getState()).isEqualTo(Metapb.StoreState.Tombstone);
    assertThat(meta(3).getNodeState()).isEqualTo(Metapb.NodeState.Removed);
  }

  @Test
  void anOfflineStoreDrainsToTombstoneAndCanBePurged() {
    life().removeStore(3, false);
    assertThat(meta(3).getNodeState()).isEqualTo(Metapb.NodeState.Removing);
    assertThat(count(RegionStatisticType.OFFLINE_PEER)).isEqualTo(1);
    life().checkStores();
    assertThat(meta(3).getState()).as("still holds region 2").isEqualTo(Metapb.StoreState.Offline);

    life().upStore(3);
    assertThat(meta(3).getState()).isEqualTo(Metapb.StoreState.Up);
    assertThat(meta(3).getNodeState()).isEqualTo(Metapb.NodeState.Serving);
    assertThat(count(RegionStatisticType.OFFLINE_PEER)).isZero();

    life().removeStore(3, false);
    send(region(2, "", "", 5, 1, peer(3, 1), peer(4, 2), peer(6, 4)));
    assertThat(count(RegionStatisticType.OFFLINE_PEER)).isZero();
    StoreLimits limits = ((OperatorController) pd.server().operators()).storeLimits();
    limits.get(3, LimitType.REMOVE_PEER, 15, clock.millis());
    life().checkStores();
    assertThat(meta(3).getState()).isEqualTo(Metapb.StoreState.Tombstone);
    assertThat(limits.peek(3, LimitType.REMOVE_PEER)).as("a buried store's limits go").isNull();
    assertThat(meta(3).getNodeState()).isEqualTo(Metapb.NodeState.Removed);
    assertThatThrownBy(() -> life().upStore(3)).hasMessageContaining("Tombstone");

    assertThat(life().removeTombstones()).containsExactly(3L);
    assertThat(pd.server().cluster().stores().get(3)).isNull();
    stream.close();
    pd.restart();
    stream = pd.heartbeats();
    assertThat(pd.server().cluster().stores().get(3)).as("purged from storage too").isNull();
  }

  @Test
  void aPhysicallyDestroyedStoreCannotComeBack() {
    life().removeStore(5, true);
    assertThat(meta(5).getPhysicallyDestroyed()).isTrue();
    assertThatThrownBy(() -> life().upStore(5)).hasMessageContaining("physically destroyed");
    assertThat(meta(5).getState()).isEqualTo(Metapb.StoreState.Offline);
  }

  @Test
  void weightsAndLabelsArePersisted() {
    life().setWeights(2, 2.5, 4);
    life().setLabels(2, java.util.Map.of("zone", "z1", "host", "h1"), false);
    life().deleteLabel(2, "host");
    assertThatThrownBy(() -> life().deleteLabel(2, "rack")).hasMessageContaining("no label \"rack\"");
    stream.close();
    pd.restart();
    stream = pd.heartbeats();
    var s = pd.server().cluster().stores().get(2);
    assertThat(s.leaderWeight()).isEqualTo(2.5);
    assertThat(s.regionWeight()).isEqualTo(4);
    assertThat(s.meta().getLabelsList()).extracting(Metapb.StoreLabel::getKey).containsExactly("zone");
  }

  @Test
  void configChangesReclassifyRegionsAndStores() {
    var live = pd.server().config();
    var original = live.current();
    live.set(dev.jpd.server.config.PdConfig.parse("[replication]\nmax-replicas = 5\n", "test"));
    assertThat(count(RegionStatisticType.MISS_PEER)).as("3 peers < 5 wanted").isEqualTo(1);
    live.set(dev.jpd.server.config.PdConfig.parse("[schedule]\nmax-merge-region-size = 100\n", "test"));
    assertThat(count(RegionStatisticType.MISS_PEER)).isZero();
    assertThat(count(RegionStatisticType.UNDERSIZED_REGION)).as("96 MiB <= 100 MiB").isEqualTo(1);

    clock.advance(Duration.ofMinutes(2));
    pd.storeHeartbeat(1);
    pd.storeHeartbeat(2);
    assertThat(stateName(3)).isEqualTo("Disconnected");
    live.set(dev.jpd.server.config.PdConfig.parse("[schedule]\nmax-store-down-time = \"1m\"\n", "test"));
    assertThat(stateName(3)).isEqualTo("Down");
    assertThat(count(RegionStatisticType.DOWN_PEER)).as("reclassified without a store check").isEqualTo(1);
    live.set(original);
    assertThat(count(RegionStatisticType.DOWN_PEER)).isZero();
    assertThat(count(RegionStatisticType.UNDERSIZED_REGION)).isZero();
  }
}
