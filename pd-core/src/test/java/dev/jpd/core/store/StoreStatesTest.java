package dev.jpd.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StoreStatesTest {
  static final Duration DOWN_TIME = Duration.ofMinutes(30);
  static final long T0 = 1_700_000_000_000L;

  static StoreInfo store(Metapb.StoreState state, Metapb.NodeState node) {
    Metapb.Store m = Metapb.Store.newBuilder().setId(1).setAddress("a:1").setState(state)
        .setNodeState(node).build();
    return StoreInfo.of(m).withStats(Pdpb.StoreStats.newBuilder().setStoreId(1).build(), T0);
  }

  static String name(StoreInfo s, long at) {
    return StoreStates.classify(s, at, DOWN_TIME).stateName();
  }

  @Test
  void upTurnsDisconnectedThenDownAsTheClockMovesAndUpAgainOnAHeartbeat() {
    StoreInfo s = store(Metapb.StoreState.Up, Metapb.NodeState.Serving);
    assertThat(name(s, T0)).isEqualTo("Up");
    assertThat(name(s, T0 + 20_000)).isEqualTo("Up");
    StoreStatus disc = StoreStates.classify(s, T0 + 20_001, DOWN_TIME);
    assertThat(disc.stateName()).isEqualTo("Disconnected");
    assertThat(disc.disconnected()).isTrue();
    assertThat(disc.down()).isFalse();
    assertThat(name(s, T0 + DOWN_TIME.toMillis())).isEqualTo("Disconnected");
    StoreStatus down = StoreStates.classify(s, T0 + DOWN_TIME.toMillis() + 1, DOWN_TIME);
    assertThat(down.stateName()).isEqualTo("Down");
    assertThat(down.down()).isTrue();
    assertThat(down.downMillis()).isEqualTo(DOWN_TIME.toMillis() + 1);
    StoreInfo back = s.withStats(s.stats(), T0 + DOWN_TIME.toMillis() + 5);
    assertThat(name(back, T0 + DOWN_TIME.toMillis() + 5)).isEqualTo("Up");
    // A shorter max-store-down-time applies on the next classification.
    assertThat(StoreStates.classify(s, T0 + 61_000, Duration.ofMinutes(1)).stateName()).isEqualTo("Down");
  }

  @Test
  void storedStatesKeepTheirNamesButStillTrackSilence() {
    StoreInfo off = store(Metapb.StoreState.Offline, Metapb.NodeState.Removing);
    StoreStatus st = StoreStates.classify(off, T0 + 3_600_000, DOWN_TIME);
    assertThat(st.stateName()).isEqualTo("Offline");
    assertThat(st.down()).isTrue();
    StoreInfo tomb = store(Metapb.StoreState.Tombstone, Metapb.NodeState.Removed);
    StoreStatus t = StoreStates.classify(tomb, T0 + 3_600_000, DOWN_TIME);
    assertThat(t.stateName()).isEqualTo("Tombstone");
    assertThat(t.down()).isFalse();
    assertThat(t.disconnected()).isFalse();
  }

  @Test
  void metaHeartbeatTimeCountsForAStoreThatNeverBeat() {
    Metapb.Store m = Metapb.Store.newBuilder().setId(1).setAddress("a:1")
        .setLastHeartbeat(T0 * 1_000_000L).build();
    StoreInfo s = StoreInfo.of(m);
    assertThat(name(s, T0 + 1_000)).isEqualTo("Up");
    assertThat(name(s, T0 + 21_000)).isEqualTo("Disconnected");
  }

  @Test
  void silenceCountsFromNoEarlierThanWhenPdStartedWatching() {
    StoreInfo never = StoreInfo.of(Metapb.Store.newBuilder().setId(1).setAddress("a:1").build());
    assertThat(StoreStates.classify(never, T0, DOWN_TIME).stateName()).isEqualTo("Down");
    assertThat(StoreStates.classify(never, T0 + 1_000, DOWN_TIME, T0).stateName()).isEqualTo("Up");
    assertThat(StoreStates.classify(never, T0 + 21_000, DOWN_TIME, T0).stateName()).isEqualTo("Disconnected");
  }

  @Test
  void preparingStoresServeWhenTheClusterIsSmallOrUptimeOrSizeIsEnough() {
    StoreInfo p = store(Metapb.StoreState.Up, Metapb.NodeState.Preparing);
    Duration prep = Duration.ofHours(48);
    assertThat(StoreStates.readyToServe(p, prep, 99, 0, 1000)).isTrue();
    assertThat(StoreStates.readyToServe(p, prep, 100, 0, 1000)).isFalse();
    assertThat(StoreStates.readyToServe(p, prep, 100, 1000, 1000)).isTrue();
    StoreInfo old = p.withStats(
        Pdpb.StoreStats.newBuilder().setStartTime((int) ((T0 - prep.toMillis()) / 1000)).build(), T0);
    assertThat(StoreStates.uptimeMillis(old)).isEqualTo(prep.toMillis());
    assertThat(StoreStates.readyToServe(old, prep, 100_000, 0, 1000)).isTrue();
    StoreInfo serving = store(Metapb.StoreState.Up, Metapb.NodeState.Serving);
    assertThat(StoreStates.readyToServe(serving, prep, 0, 0, 0)).isFalse();
    assertThat(StoreStates.servingThresholdMiB(1000, 3, 4)).isEqualTo(675);
    assertThat(StoreStates.servingThresholdMiB(1000, 3, 0)).isZero();
  }

  @Test
  void transitionsFollowTheTable() {
    assertThat(StoreStates.transitionError(1, Metapb.StoreState.Up, Metapb.StoreState.Offline)).isNull();
    assertThat(StoreStates.transitionError(1, Metapb.StoreState.Offline, Metapb.StoreState.Up)).isNull();
    assertThat(StoreStates.transitionError(1, Metapb.StoreState.Offline, Metapb.StoreState.Tombstone)).isNull();
    assertThat(StoreStates.transitionError(1, Metapb.StoreState.Up, Metapb.StoreState.Up)).isNull();
    assertThat(StoreStates.transitionError(1, Metapb.StoreState.Up, Metapb.StoreState.Tombstone))
        .contains("must be Offline");
    assertThat(StoreStates.transitionError(1, Metapb.StoreState.Tombstone, Metapb.StoreState.Up))
        .contains("Tombstone");
  }

  @Test
  void lowSpace() {
    StoreInfo s = StoreInfo.of(Metapb.Store.newBuilder().setId(1).build());
    assertThat(StoreStates.lowSpace(s, 0.8, 1000)).isFalse();
    StoreInfo full = s.withStats(
        Pdpb.StoreStats.newBuilder().setCapacity(100L << 30).setAvailable(10L << 30).build(), T0);
    assertThat(StoreStates.lowSpace(full, 0.8, 1000)).isTrue();
    assertThat(StoreStates.lowSpace(full, 0.8, 10)).as("small cluster, > 8 GiB free").isFalse();
    StoreInfo ok = s.withStats(
        Pdpb.StoreStats.newBuilder().setCapacity(100L << 30).setAvailable(30L << 30).build(), T0);
    assertThat(StoreStates.lowSpace(ok, 0.8, 1000)).isFalse();
  }

  @Test
  void weightsSurviveOtherWithers() {
    StoreInfo s = store(Metapb.StoreState.Up, Metapb.NodeState.Serving).withWeights(2, 3);
    StoreInfo t = s.withStats(s.stats(), T0 + 1).withMeta(s.meta());
    assertThat(t.leaderWeight()).isEqualTo(2);
    assertThat(t.regionWeight()).isEqualTo(3);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "silent {0} s, slow_score {1} -> {2}")
  @org.junit.jupiter.params.provider.CsvSource({
    "0, 0, store_up_count",
    "0, 79, store_up_count",
    "0, 80, store_slow_count",
    "21, 80, store_disconnected_count",
    "601, 80, store_unhealth_count",
    "600, 0, store_disconnected_count",
    "1801, 80, store_down_count",
  })
  void upStoresCountInTheFirstOfDownUnhealthDisconnectedSlowUp(
      long silentS, long slow, String want) {
    StoreInfo s = store(Metapb.StoreState.Up, Metapb.NodeState.Serving)
        .withStats(Pdpb.StoreStats.newBuilder().setStoreId(1).setSlowScore(slow).build(), T0);
    StoreStatus st = StoreStates.classify(s, T0 + silentS * 1000, DOWN_TIME);
    assertThat(StoreStates.upStoreCountType(s, st)).isEqualTo(want);
  }

  @Test
  void heartbeatsPersistTheStoreAtMostEveryFiveMinutes() {
    assertThat(StoreStates.needsPersist(T0, 0)).as("never saved since start").isTrue();
    assertThat(StoreStates.needsPersist(T0 + 300_000, T0)).isFalse();
    assertThat(StoreStates.needsPersist(T0 + 300_001, T0)).isTrue();
  }
}
