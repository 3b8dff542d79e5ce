package dev.jpd.server.grpc;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
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
class RegionHeartbeatTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  TestPd pd;
  RegionHeartbeatStream stream;

  /** Region 2 over every key, three voters on stores 1-3, epoch conf_ver 3 version 1. */
  static final Metapb.Region FULL = region(2, "", "", 3, 1, peer(3, 1), peer(4, 2), peer(5, 3));

  @BeforeEach
  void start() throws Exception {
    pd = TestPd.start(dir);
    pd.bootstrap();
    pd.putStore(2);
    pd.putStore(3);
    pd.putStore(4);
    pd.server().cluster().setStoreState(4, Metapb.StoreState.Tombstone);
    stream = pd.heartbeats();
    accept(pd.heartbeat(FULL, peer(3, 1)));
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  @Test
  void aGoodHeartbeatUpdatesTheCacheWithoutAResponse() throws Exception {
    Pdpb.RegionHeartbeatRequest hb =
        pd.heartbeat(FULL, peer(4, 2)).toBuilder()
            .addPendingPeers(peer(5, 3))
            .addDownPeers(Pdpb.PeerStats.newBuilder().setPeer(peer(3, 1)).setDownSeconds(60))
            .build();
    stream.send(hb);
    Await.until("leader moves to store 2", WAIT, () -> leaderStore(2) == 2);
    RegionInfo r = pd.server().cluster().regions().getRegion(2);
    assertThat(r.pendingPeers()).containsExactly(peer(5, 3));
    assertThat(r.downPeers()).hasSize(1);
    assertThat(stream.next(Duration.ofMillis(200))).isNull();
  }

  static Stream<Arguments> badHeartbeats() {
    return Stream.of(
        bad("region id 0", b -> b.setRegion(FULL.toBuilder().setId(0)), "region id"),
        bad("no leader", b -> b.clearLeader(), "leader"),
        bad("zero peers", b -> b.setRegion(FULL.toBuilder().clearPeers()), "peer"),
        bad("leader not a peer", b -> b.setLeader(peer(99, 1)), "leader"),
        bad(
            "duplicate peer id",
            b -> b.setRegion(region(2, "", "", 4, 1, peer(3, 1), peer(3, 2), peer(5, 3))),
            "duplicate"),
        bad(
            "two peers on one store",
            b -> b.setRegion(region(2, "", "", 4, 1, peer(3, 1), peer(6, 1), peer(5, 3))),
            "store 1"),
        bad(
            "start key after end key",
            b -> b.setRegion(region(2, "z", "a", 3, 1, peer(3, 1), peer(4, 2), peer(5, 3))),
            "key"),
        bad(
            "unknown store",
            b -> b.setRegion(region(2, "", "", 4, 1, peer(3, 9), peer(4, 2))).setLeader(peer(3, 9)),
            "invalid store ID 9"),
        bad(
            "tombstone store",
            b -> b.setRegion(region(2, "", "", 4, 1, peer(3, 1), peer(7, 4))).setLeader(peer(7, 4)),
            "tombstone"),
        bad(
            "wrong cluster id",
            b -> b.setHeader(Pdpb.RequestHeader.newBuilder().setClusterId(12345)),
            "mismatch cluster id"),
        bad(
            "lower version",
            b -> b.setRegion(FULL.toBuilder().setRegionEpoch(epoch(3, 0))),
            "stale"),
        bad(
            "lower conf_ver",
            b -> b.setRegion(FULL.toBuilder().setRegionEpoch(epoch(2, 1))),
            "stale"));
  }

  static Arguments bad(
      String name, UnaryOperator<Pdpb.RegionHeartbeatRequest.Builder> change, String message) {
    return Arguments.of(name, change, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHeartbeats")
  void badInputGetsAnErrorOnTheStreamAndChangesNothing(
      String name, UnaryOperator<Pdpb.RegionHeartbeatRequest.Builder> change, String message)
      throws Exception {
    List<Metapb.Region> before = cached();
    Pdpb.RegionHeartbeatRequest hb =
        change.apply(pd.heartbeat(FULL, peer(3, 1)).toBuilder().setApproximateSize(1)).build();
    stream.send(hb);
    Pdpb.RegionHeartbeatResponse r = stream.next(WAIT);
    assertThat(r).as("an error response").isNotNull();
    assertThat(r.getHeader().hasError()).isTrue();
    assertThat(r.getHeader().getError().getMessage()).containsIgnoringCase(message);
    assertThat(r.getHeader().getClusterId()).isEqualTo(pd.clusterId());
    assertThat(cached()).isEqualTo(before);
    assertThat(pd.server().cluster().regions().getRegion(2).approximateSize()).isNotEqualTo(1);
    // the stream still works
    accept(pd.heartbeat(FULL, peer(5, 3)));
    Await.until("leader on store 3", WAIT, () -> leaderStore(2) == 3);
    assertThat(stream.error()).isNull();
  }

  @Test
  void aSplitReplacesTheOldRegionAndTheOldVersionIsThenStale() throws Exception {
    Metapb.Region left = region(2, "", "m", 3, 2, peer(3, 1), peer(4, 2), peer(5, 3));
    Metapb.Region right = region(10, "m", "", 3, 2, peer(11, 1), peer(12, 2), peer(13, 3));
    stream.send(pd.heartbeat(right, peer(11, 1)));
    stream.send(pd.heartbeat(left, peer(3, 1)));
    Await.until("two regions", WAIT, () -> cached().size() == 2);
    assertThat(cached()).containsExactly(left, right);

    stream.send(pd.heartbeat(FULL, peer(3, 1)));
    Pdpb.RegionHeartbeatResponse r = stream.next(WAIT);
    assertThat(r.getHeader().getError().getMessage()).contains("stale");
    assertThat(cached()).containsExactly(left, right);
  }

  @Test
  void aMergedRegionWithAHigherVersionRemovesTheRegionsItCovers() throws Exception {
    Metapb.Region left = region(2, "", "m", 3, 2, peer(3, 1), peer(4, 2), peer(5, 3));
    Metapb.Region right = region(10, "m", "", 3, 2, peer(11, 1), peer(12, 2), peer(13, 3));
    stream.send(pd.heartbeat(left, peer(3, 1)));
    stream.send(pd.heartbeat(right, peer(11, 1)));
    Await.until("two regions", WAIT, () -> cached().size() == 2);
    Metapb.Region merged = region(10, "", "", 3, 3, peer(11, 1), peer(12, 2), peer(13, 3));
    stream.send(pd.heartbeat(merged, peer(11, 1)));
    Await.until("one region", WAIT, () -> cached().size() == 1);
    assertThat(cached()).containsExactly(merged);
  }

  private void accept(Pdpb.RegionHeartbeatRequest hb) {
    stream.send(hb);
    Await.until(
        "region " + hb.getRegion().getId() + " cached as reported",
        WAIT,
        () -> {
          RegionInfo r = pd.server().cluster().regions().getRegion(hb.getRegion().getId());
          return r != null
              && r.meta().equals(hb.getRegion())
              && hb.getLeader().equals(r.leader());
        });
  }

  private long leaderStore(long regionId) {
    RegionInfo r = pd.server().cluster().regions().getRegion(regionId);
    return r == null || r.leader() == null ? -1 : r.leader().getStoreId();
  }

  private List<Metapb.Region> cached() {
    return pd.server().cluster().regions().all().stream().map(RegionInfo::meta).toList();
  }

  static Metapb.RegionEpoch epoch(long confVer, long version) {
    return Metapb.RegionEpoch.newBuilder().setConfVer(confVer).setVersion(version).build();
  }
}
