package dev.jpd.core.statistics;

import static dev.jpd.core.statistics.RegionStatisticType.DOWN_PEER;
import static dev.jpd.core.statistics.RegionStatisticType.EMPTY_REGION;
import static dev.jpd.core.statistics.RegionStatisticType.EXTRA_PEER;
import static dev.jpd.core.statistics.RegionStatisticType.LEARNER_PEER;
import static dev.jpd.core.statistics.RegionStatisticType.MISS_PEER;
import static dev.jpd.core.statistics.RegionStatisticType.OFFLINE_PEER;
import static dev.jpd.core.statistics.RegionStatisticType.OVERSIZED_REGION;
import static dev.jpd.core.statistics.RegionStatisticType.PENDING_PEER;
import static dev.jpd.core.statistics.RegionStatisticType.UNDERSIZED_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario table: for each type, a healthy region, a change that makes it enter the type, and a
 * change that makes it leave again; nothing else may change on the way.
 */
@Timeout(30)
class RegionClassifierTest {
  static final StoreStatus UP =
      new StoreStatus(Metapb.StoreState.Up, Metapb.NodeState.Serving, "Up", false, false, 0);
  static final StoreStatus DOWN =
      new StoreStatus(Metapb.StoreState.Up, Metapb.NodeState.Serving, "Down", true, true, 3_600_000);
  static final StoreStatus OFFLINE =
      new StoreStatus(Metapb.StoreState.Offline, Metapb.NodeState.Removing, "Offline", false, false, 0);

  /** A scenario: mutable inputs the steps edit. */
  static final class World {
    final Pdpb.RegionHeartbeatRequest.Builder hb = healthy();
    final Map<Long, StoreStatus> stores = new HashMap<>(Map.of(1L, UP, 2L, UP, 3L, UP, 4L, UP));
    StatisticsConfig cfg = StatisticsConfig.defaults();
    /** The rules applied to the region while placement rules are on; null when they are off. */
    List<Rule> rules;

    Set<RegionStatisticType> classify() {
      return RegionClassifier.classify(RegionInfo.fromHeartbeat(hb.build()), stores::get, cfg,
          rules);
    }
  }

  static Rule voters(int n) {
    return Rule.of("pd", "default", "voter", n, "", "");
  }

  static Metapb.Peer peer(long id, long store) {
    return Metapb.Peer.newBuilder().setId(id).setStoreId(store).build();
  }

  /** Three voters on stores 1-3, 80 MiB and 800 000 keys: in no type. */
  static Pdpb.RegionHeartbeatRequest.Builder healthy() {
    Metapb.Region region =
        Metapb.Region.newBuilder()
            .setId(10)
            .setStartKey(ByteString.copyFromUtf8("a"))
            .setEndKey(ByteString.copyFromUtf8("b"))
            .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(3).setVersion(1))
            .addPeers(peer(11, 1))
            .addPeers(peer(12, 2))
            .addPeers(peer(13, 3))
            .build();
    return Pdpb.RegionHeartbeatRequest.newBuilder()
        .setRegion(region)
        .setLeader(peer(11, 1))
        .setApproximateSize(80L << 20)
        .setApproximateKeys(800_000);
  }

  static Arguments row(RegionStatisticType type, Consumer<World> enter, Consumer<World> leave) {
    return Arguments.of(type, enter, leave);
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        row(MISS_PEER,
            w -> w.hb.setRegion(w.hb.getRegion().toBuilder().removePeers(2)),
            w -> w.hb.setRegion(w.hb.getRegion().toBuilder().addPeers(peer(14, 4)))),
        row(MISS_PEER,
            w -> w.cfg = new StatisticsConfig(5, 54, 540_000, 144, 1_440_000),
            w -> w.cfg = StatisticsConfig.defaults()),
        // placement rules on: the rules' counts, every role, replace max-replicas
        row(MISS_PEER,
            w -> w.rules = List.of(voters(5)),
            w -> w.rules = List.of(voters(3))),
        row(MISS_PEER,
            w -> w.rules = List.of(voters(3), Rule.of("tiflash", "l", "learner", 1, "", "")),
            w -> w.rules = null),
        row(EXTRA_PEER,
            w -> w.rules = List.of(voters(1)),
            w -> w.rules = List.of(voters(2), Rule.of("tiflash", "l", "learner", 1, "", ""))),
        // a region crossing a rule boundary has no rules: every peer is extra, as in PD
        row(EXTRA_PEER, w -> w.rules = List.of(), w -> w.rules = null),
        // max-replicas does not count while rules are on
        row(EXTRA_PEER,
            w -> {
              w.cfg = new StatisticsConfig(5, 54, 540_000, 144, 1_440_000);
              w.rules = List.of(voters(2));
            },
            w -> w.rules = List.of(voters(3))),
        row(EXTRA_PEER,
            w -> w.hb.setRegion(w.hb.getRegion().toBuilder().addPeers(peer(14, 4))),
            w -> w.hb.setRegion(w.hb.getRegion().toBuilder().removePeers(3))),
        row(DOWN_PEER,
            w -> w.hb.addDownPeers(Pdpb.PeerStats.newBuilder().setPeer(peer(12, 2)).setDownSeconds(700)),
            w -> w.hb.clearDownPeers()),
        row(DOWN_PEER, w -> w.stores.put(3L, DOWN), w -> w.stores.put(3L, UP)),
        row(PENDING_PEER, w -> w.hb.addPendingPeers(peer(13, 3)), w -> w.hb.clearPendingPeers()),
        row(OFFLINE_PEER, w -> w.stores.put(2L, OFFLINE), w -> w.stores.put(2L, UP)),
        row(LEARNER_PEER,
            w -> w.hb.setRegion(w.hb.getRegion().toBuilder()
                .setPeers(2, peer(13, 3).toBuilder().setRole(Metapb.PeerRole.Learner))),
            w -> w.hb.setRegion(w.hb.getRegion().toBuilder().setPeers(2, peer(13, 3)))),
        // Empty regions are undersized as well (as in PD).
        row(EMPTY_REGION,
            w -> w.hb.setApproximateSize(1L << 20).setApproximateKeys(10),
            w -> w.hb.setApproximateSize(80L << 20).setApproximateKeys(800_000)),
        row(OVERSIZED_REGION,
            w -> w.hb.setApproximateSize(144L << 20),
            w -> w.hb.setApproximateSize(143L << 20)),
        row(OVERSIZED_REGION,
            w -> w.hb.setApproximateKeys(1_440_000),
            w -> w.hb.setApproximateKeys(1_439_999)),
        row(OVERSIZED_REGION,
            w -> w.cfg = new StatisticsConfig(3, 54, 540_000, 64, 1_440_000),
            w -> w.cfg = StatisticsConfig.defaults()),
        row(UNDERSIZED_REGION,
            w -> w.hb.setApproximateSize(54L << 20).setApproximateKeys(540_000),
            w -> w.hb.setApproximateKeys(540_001)),
        row(UNDERSIZED_REGION,
            w -> w.cfg = new StatisticsConfig(3, 100, 1_000_000, 144, 1_440_000),
            w -> w.cfg = StatisticsConfig.defaults()));
  }

  @ParameterizedTest(name = "{0} #{index}")
  @MethodSource("scenarios")
  void entersAndLeaves(RegionStatisticType type, Consumer<World> enter, Consumer<World> leave) {
    World w = new World();
    assertThat(w.classify()).as("the healthy region").isEmpty();
    enter.accept(w);
    Set<RegionStatisticType> entered = w.classify();
    assertThat(entered).contains(type);
    if (type == EMPTY_REGION) {
      assertThat(entered).containsExactlyInAnyOrder(EMPTY_REGION, UNDERSIZED_REGION);
    } else {
      assertThat(entered).containsExactly(type);
    }
    leave.accept(w);
    assertThat(w.classify()).as("after leaving " + type).isEmpty();
  }

  @Test
  void unknownStoresCountAsNeitherDownNorOffline() {
    World w = new World();
    w.stores.clear();
    assertThat(w.classify()).isEmpty();
  }

  @Test
  void severalTypesAtOnce() {
    World w = new World();
    w.hb.setRegion(w.hb.getRegion().toBuilder().removePeers(2));
    w.hb.addPendingPeers(peer(12, 2));
    w.stores.put(1L, DOWN);
    assertThat(w.classify()).isEqualTo(EnumSet.of(MISS_PEER, PENDING_PEER, DOWN_PEER));
  }

  @Test
  void gaugeLabelsAreTheOnesPdExports() {
    assertThat(MISS_PEER.gaugeLabel()).isEqualTo("miss-peer-region-count");
    assertThat(EMPTY_REGION.gaugeLabel()).isEqualTo("empty-region-count");
    assertThat(UNDERSIZED_REGION.gaugeLabel()).isEqualTo("undersized-region-count");
    assertThat(RegionStatisticType.byCheckName("offline-peer")).isEqualTo(OFFLINE_PEER);
    assertThat(RegionStatisticType.byCheckName("nope")).isNull();
  }
}
