package dev.jpd.server.grpc;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Lookups over a fixed layout: [,"b") 2 | ["b","d") 20 | hole | ["f","") 40. */
@Timeout(60)
class RegionQueryTest {
  @TempDir static Path dir;
  static TestPd pd;

  static final Metapb.Region A = region(2, "", "b", 1, 3, peer(3, 1));
  static final Metapb.Region B = region(20, "b", "d", 1, 3, peer(21, 1));
  static final Metapb.Region D = region(40, "f", "", 1, 3, peer(41, 1));

  @BeforeAll
  static void start() {
    pd = TestPd.start(dir);
    pd.bootstrap();
    try (RegionHeartbeatStream s = pd.heartbeats()) {
      // ["d","f") stays a hole: region 30 covered it and was merged away in this story.
      for (Metapb.Region r : List.of(B, D, A)) {
        s.send(pd.heartbeat(r, r.getPeers(0)));
      }
      Await.until("three regions", Duration.ofSeconds(10), () -> pd.server().cluster().regions().size() == 3);
    }
  }

  @AfterAll
  static void stop() {
    pd.close();
  }

  @Test
  void getRegionFindsTheRegionHoldingTheKey() {
    assertThat(byKey("").getRegion()).isEqualTo(A);
    assertThat(byKey("a").getRegion()).isEqualTo(A);
    assertThat(byKey("b").getRegion()).isEqualTo(B);
    assertThat(byKey("c").getLeader()).isEqualTo(peer(21, 1));
    assertThat(byKey("zzz").getRegion()).isEqualTo(D);
  }

  @Test
  void aKeyInAHoleFindsNoRegionAndNoError() {
    Pdpb.GetRegionResponse r = byKey("e");
    assertThat(r.hasRegion()).isFalse();
    assertThat(r.getHeader().hasError()).isFalse();
    assertThat(r.getHeader().getClusterId()).isEqualTo(pd.clusterId());
  }

  @Test
  void getPrevRegionFindsTheRegionBefore() {
    Pdpb.GetRegionResponse r =
        pd.pd().getPrevRegion(Pdpb.GetRegionRequest.newBuilder().setHeader(pd.header()).setRegionKey(key("c")).build());
    assertThat(r.getRegion()).isEqualTo(A);
  }

  @Test
  void getRegionByIdAnswersKnownAndUnknownIds() {
    assertThat(byId(20).getRegion()).isEqualTo(B);
    Pdpb.GetRegionResponse none = byId(999);
    assertThat(none.hasRegion()).isFalse();
    assertThat(none.getHeader().hasError()).isFalse();
  }

  @Test
  void scanRegionsHonoursStartEndAndLimitAndFillsEveryShape() {
    Pdpb.ScanRegionsResponse all =
        pd.pd().scanRegions(Pdpb.ScanRegionsRequest.newBuilder().setHeader(pd.header()).build());
    assertThat(all.getRegionsList()).extracting(Pdpb.Region::getRegion).containsExactly(A, B, D);
    assertThat(all.getRegionMetasList()).containsExactly(A, B, D);
    assertThat(all.getLeadersList()).containsExactly(peer(3, 1), peer(21, 1), peer(41, 1));

    Pdpb.ScanRegionsResponse some =
        pd.pd().scanRegions(
                Pdpb.ScanRegionsRequest.newBuilder().setHeader(pd.header()).setStartKey(key("a")).setEndKey(key("e")).build());
    assertThat(some.getRegionMetasList()).containsExactly(A, B);
    Pdpb.ScanRegionsResponse limited =
        pd.pd().scanRegions(Pdpb.ScanRegionsRequest.newBuilder().setHeader(pd.header()).setStartKey(key("c")).setLimit(1).build());
    assertThat(limited.getRegionMetasList()).containsExactly(B);
  }

  @Test
  void batchScanRegionsCoversRangesOnceAndReportsHoles() {
    Pdpb.BatchScanRegionsResponse r =
        pd.pd().batchScanRegions(
                Pdpb.BatchScanRegionsRequest.newBuilder()
                    .setHeader(pd.header())
                    .addRanges(range("", "a"))
                    .addRanges(range("a", "c"))
                    .addRanges(range("g", ""))
                    .build());
    assertThat(r.getRegionsList()).extracting(Pdpb.Region::getRegion).containsExactly(A, B, D);

    Pdpb.BatchScanRegionsResponse holey =
        pd.pd().batchScanRegions(
                Pdpb.BatchScanRegionsRequest.newBuilder()
                    .setHeader(pd.header())
                    .addRanges(range("c", "g"))
                    .setContainAllKeyRange(true)
                    .build());
    assertThat(holey.getHeader().getError().getType())
        .isEqualTo(Pdpb.ErrorType.REGIONS_NOT_CONTAIN_ALL_KEY_RANGE);

    Pdpb.BatchScanRegionsResponse overlapped =
        pd.pd().batchScanRegions(
                Pdpb.BatchScanRegionsRequest.newBuilder()
                    .setHeader(pd.header())
                    .addRanges(range("a", "c"))
                    .addRanges(range("b", "d"))
                    .build());
    assertThat(overlapped.getHeader().getError().getMessage()).contains("overlapped");
  }

  @Test
  void askBatchSplitHandsOutFreshIdsForEachPeer() {
    Metapb.Region current = region(20, "b", "d", 3, 3, peer(21, 1), peer(22, 2), peer(23, 3));
    Pdpb.AskBatchSplitResponse r =
        pd.pd().askBatchSplit(
                Pdpb.AskBatchSplitRequest.newBuilder().setHeader(pd.header()).setRegion(current).setSplitCount(3).build());
    assertThat(r.getIdsList()).hasSize(3);
    Set<Long> ids = new HashSet<>();
    for (Pdpb.SplitID id : r.getIdsList()) {
      assertThat(id.getNewPeerIdsList()).hasSize(3);
      assertThat(ids.add(id.getNewRegionId())).isTrue();
      id.getNewPeerIdsList().forEach(p -> assertThat(ids.add(p)).isTrue());
    }
    Pdpb.AskSplitResponse one =
        pd.pd().askSplit(Pdpb.AskSplitRequest.newBuilder().setHeader(pd.header()).setRegion(B).build());
    assertThat(one.getNewPeerIdsList()).hasSize(1);
    assertThat(ids).doesNotContain(one.getNewRegionId());
  }

  @Test
  void askSplitOfAnUnknownOrOlderRegionIsRefused() {
    Pdpb.AskBatchSplitResponse unknown =
        pd.pd().askBatchSplit(
                Pdpb.AskBatchSplitRequest.newBuilder()
                    .setHeader(pd.header())
                    .setRegion(region(30, "d", "f", 1, 1, peer(31, 1)))
                    .setSplitCount(1)
                    .build());
    assertThat(unknown.getHeader().getError().getMessage()).contains("region not found");
    Pdpb.AskBatchSplitResponse older =
        pd.pd().askBatchSplit(
                Pdpb.AskBatchSplitRequest.newBuilder()
                    .setHeader(pd.header())
                    .setRegion(region(20, "b", "d", 1, 2, peer(21, 1)))
                    .setSplitCount(1)
                    .build());
    assertThat(older.getHeader().getError().getMessage()).contains("invalid region epoch");
  }

  @Test
  void reportedSplitsMustBeAdjacent() {
    Pdpb.ReportBatchSplitResponse ok =
        pd.pd().reportBatchSplit(
                Pdpb.ReportBatchSplitRequest.newBuilder()
                    .setHeader(pd.header())
                    .addRegions(region(50, "b", "c", 1, 4))
                    .addRegions(region(20, "c", "d", 1, 4))
                    .build());
    assertThat(ok.getHeader().hasError()).isFalse();
    Pdpb.ReportSplitResponse bad =
        pd.pd().reportSplit(
                Pdpb.ReportSplitRequest.newBuilder()
                    .setHeader(pd.header())
                    .setLeft(region(50, "b", "c", 1, 4))
                    .setRight(region(20, "x", "y", 1, 4))
                    .build());
    assertThat(bad.getHeader().getError().getMessage()).contains("invalid split region");
    Pdpb.ReportBatchSplitResponse single =
        pd.pd().reportBatchSplit(
                Pdpb.ReportBatchSplitRequest.newBuilder().setHeader(pd.header()).addRegions(B).build());
    assertThat(single.getHeader().getError().getMessage()).contains("at least 2");
  }

  private static Pdpb.GetRegionResponse byKey(String k) {
    return pd.pd().getRegion(Pdpb.GetRegionRequest.newBuilder().setHeader(pd.header()).setRegionKey(key(k)).build());
  }

  private static Pdpb.GetRegionResponse byId(long id) {
    return pd.pd().getRegionByID(Pdpb.GetRegionByIDRequest.newBuilder().setHeader(pd.header()).setRegionId(id).build());
  }

  private static ByteString key(String k) {
    return ByteString.copyFromUtf8(k);
  }

  private static Pdpb.KeyRange range(String start, String end) {
    return Pdpb.KeyRange.newBuilder().setStartKey(key(start)).setEndKey(key(end)).build();
  }
}
