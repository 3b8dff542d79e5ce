package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.store.StoreInfo;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class TemporaryFilterTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // what store 1 is like; the first filter it fails (null: it may take a replica now);
        // the words a dry run gives
        row("Up and idle", fc -> { }, null, null),
        row("no add-peer tokens", fc -> fc.addPeerLimited.add(1L),
            TemporaryFilter.EXCEED_ADD_LIMIT,
            "add-peer store limit has no tokens now for a region of 10 MiB (store-limit)"),
        row("disconnected", fc -> fc.setStoreDisconnected(1), TemporaryFilter.DISCONNECTED,
            "disconnected: silent for 30s"),
        row("busy", fc -> fc.setStoreBusy(1), TemporaryFilter.BUSY, "store reports busy"),
        row("receiving more snapshots than max-snapshot-count",
            fc -> fc.config(b -> b.maxSnapshotCount(2)).setStoreSnapshots(1, 3),
            TemporaryFilter.SNAPSHOTS,
            "too many snapshots: sending 0, receiving 3 (max-snapshot-count 2)"),
        row("as many snapshots as max-snapshot-count",
            fc -> fc.config(b -> b.maxSnapshotCount(3)).setStoreSnapshots(1, 3), null, null),
        row("more pending peers than max-pending-peer-count",
            fc -> pendingPeersOnStore1(fc.config(b -> b.maxPendingPeerCount(1)), 2),
            TemporaryFilter.PENDING_PEERS,
            "too many pending peers: 2 > max-pending-peer-count 1"),
        row("as many pending peers as max-pending-peer-count",
            fc -> pendingPeersOnStore1(fc.config(b -> b.maxPendingPeerCount(2)), 2), null, null),
        row("pending peers with max-pending-peer-count 0 (no limit)",
            fc -> pendingPeersOnStore1(fc.config(b -> b.maxPendingPeerCount(0)), 2), null, null),
        row("busy and out of tokens: the first in order", fc -> {
          fc.addPeerLimited.add(1L);
          fc.setStoreBusy(1);
        }, TemporaryFilter.EXCEED_ADD_LIMIT, null));
  }

  private static Arguments row(String name, Consumer<FakeCluster> setUp, TemporaryFilter fails,
      String why) {
    return Arguments.of(name, setUp, fails, why);
  }

  private static void pendingPeersOnStore1(FakeCluster fc, int regions) {
    for (long id = 10; id < 10 + regions; id++) {
      fc.addRegion(id, "2* 3 1~", 10, 100);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void firstFailingAndWhy(String name, Consumer<FakeCluster> setUp, TemporaryFilter fails,
      String why) {
    FakeCluster fc = new FakeCluster();
    fc.addStores(1, 2, 3);
    setUp.accept(fc);
    StoreInfo s = fc.store(1);
    TemporaryFilter failed =
        TemporaryFilter.firstFailing(fc.view, 10, s, fc.view.storeStatus(s));
    assertThat(failed).isEqualTo(fails);
    if (why != null) {
      assertThat(failed.why(fc.view, 10, s, fc.view.storeStatus(s))).isEqualTo(why);
    }
  }
}
