package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memo of the store search's first stage: a remembered answer is used only for the same
 * moment (store list, clock millisecond, config, region count) and key, so the chosen store is
 * always the one a search without the memo chooses.
 */
@Timeout(30)
class StoreSearchMemoTest {
  private final FakeCluster fc = new FakeCluster();
  private final StoreSearchMemo memo = new StoreSearchMemo();

  /** Stores 1–5; regions 10 and 11 give stores 4 and 5 the same region size. */
  StoreSearchMemoTest() {
    fc.addStores(1, 2, 3, 4, 5);
    fc.addRegion(10, "4* 1 2", 10, 100);
    fc.addRegion(11, "5* 1 2", 10, 100);
    fc.addRegion(1, "1* 2 3", 10, 100);
    fc.addRegion(2, "1* 2 3", 10, 100);
    fc.setStoreDown(3);
  }

  /** The target replacing region {@code id}'s peer on store 3, with the memo and without. */
  private long[] fix(long id) {
    RegionInfo r = fc.view.region(id);
    ReplicaStrategy withMemo = new ReplicaStrategy(fc.view, r, CheckRequest.forPatrol(), memo);
    ReplicaStrategy without = new ReplicaStrategy(fc.view, r, CheckRequest.forDryRun(), null);
    return new long[] {withMemo.selectStoreToFix(withMemo.regionStores(), 3).storeId(),
        without.selectStoreToFix(without.regionStores(), 3).storeId()};
  }

  @Test
  void theSameMomentAndKeyReuseTheFirstStage() {
    assertThat(fix(1)).containsExactly(4, 4);
    List<StoreInfo> others = List.of(fc.view.store(1), fc.view.store(2));
    StoreSearchMemo.Key key = new StoreSearchMemo.Key(fc.config().locationLabels(),
        fc.config().isolationLevel(), null, others, new long[] {1, 2, 3});
    List<ReplicaStrategy.Candidate> kept = memo.get(StoreSearchMemo.Moment.of(fc.view), key);
    assertThat(kept).extracting(c -> c.store().id()).containsExactly(4L, 5L);
    assertThat(fix(2)).containsExactly(4, 4);
    assertThat(memo.get(StoreSearchMemo.Moment.of(fc.view), key)).isSameAs(kept);

    StoreSearchMemo.Key otherPeers = new StoreSearchMemo.Key(fc.config().locationLabels(),
        fc.config().isolationLevel(), null, others, new long[] {1, 2, 4});
    assertThat(memo.get(StoreSearchMemo.Moment.of(fc.view), otherPeers)).isNull();
    fc.clock.advance(Duration.ofMillis(1));
    assertThat(memo.get(StoreSearchMemo.Moment.of(fc.view), key)).as("next millisecond").isNull();
  }

  @Test
  void twoKeysInUseTogetherAreBothKept() {
    StoreSearchMemo.Moment now = StoreSearchMemo.Moment.of(fc.view);
    List<StoreSearchMemo.Key> keys = new java.util.ArrayList<>();
    for (long a = 1; a <= 5; a++) {
      for (long b = 1; b <= 5; b++) {
        keys.add(new StoreSearchMemo.Key(List.of(), "", null,
            List.of(fc.view.store(a), fc.view.store(b)), new long[] {a, b}));
      }
    }
    for (StoreSearchMemo.Key first : keys) {
      for (StoreSearchMemo.Key second : keys) {
        if (first == second) {
          continue;
        }
        StoreSearchMemo m = new StoreSearchMemo();
        // two distinct empty lists, told apart by identity
        List<ReplicaStrategy.Candidate> one = java.util.Collections.unmodifiableList(
            new java.util.ArrayList<>());
        List<ReplicaStrategy.Candidate> two = java.util.Collections.unmodifiableList(
            new java.util.ArrayList<>());
        m.put(now, first, one);
        m.put(now, second, two);
        assertThat(m.get(now, first)).isSameAs(one);
        assertThat(m.get(now, second)).isSameAs(two);
      }
    }
  }

  @Test
  void regionScoresAreReadAgainForEveryRegion() {
    assertThat(fix(1)).containsExactly(4, 4);
    // same region count, same stores, same millisecond: only store 4's region size grows
    fc.addRegion(10, "4* 1 2", 1000, 100);
    assertThat(fix(2)).containsExactly(5, 5);
  }

  @Test
  void aStoreWriteIsSeenAtOnce() {
    assertThat(fix(1)).containsExactly(4, 4);
    fc.setStoreLowSpace(4);
    assertThat(fix(2)).containsExactly(5, 5);
  }

  @Test
  void aStoreTurningDisconnectedOnTheNextMillisecondIsSeen() {
    fc.setStoreSilent(4, Duration.ofSeconds(20).minusMillis(1));
    assertThat(fix(1)).containsExactly(4, 4);
    fc.clock.advance(Duration.ofMillis(2));
    assertThat(fix(2)).containsExactly(5, 5);
  }

  @Test
  void aConfigChangeIsSeenAtOnce() {
    fc.setStoreLowSpace(4);
    assertThat(fix(1)).containsExactly(5, 5);
    fc.config(b -> b.lowSpaceRatio(0.9999));
    assertThat(fix(2)).as("store 4 is no longer low on space").containsExactly(4, 4);
  }
}
