package dev.jpd.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StoresInfoTest {

  private static Metapb.Store meta(long id, String address) {
    return Metapb.Store.newBuilder().setId(id).setAddress(address).build();
  }

  @Test
  void newStoreHasDefaultStatsAndNoHeartbeat() {
    StoreInfo s = StoreInfo.of(meta(1, "127.0.0.1:20160"));
    assertThat(s.id()).isEqualTo(1);
    assertThat(s.address()).isEqualTo("127.0.0.1:20160");
    assertThat(s.stats()).isEqualTo(Pdpb.StoreStats.getDefaultInstance());
    assertThat(s.lastHeartbeatMillis()).isZero();
    assertThat(s.isTombstone()).isFalse();
  }

  @Test
  void withersReplaceOnlyWhatTheyName() {
    StoreInfo s = StoreInfo.of(meta(1, "a:1"));
    Pdpb.StoreStats stats = Pdpb.StoreStats.newBuilder().setStoreId(1).setCapacity(100).build();
    StoreInfo beat = s.withStats(stats, 5_000);
    assertThat(beat.stats()).isEqualTo(stats);
    assertThat(beat.lastHeartbeatMillis()).isEqualTo(5_000);
    assertThat(beat.meta()).isSameAs(s.meta());
    assertThat(s.lastHeartbeatMillis()).as("the original is unchanged").isZero();

    StoreInfo tomb =
        beat.withMeta(beat.meta().toBuilder().setState(Metapb.StoreState.Tombstone).build());
    assertThat(tomb.isTombstone()).isTrue();
    assertThat(tomb.stats()).isSameAs(stats);
    assertThat(tomb.lastHeartbeatMillis()).isEqualTo(5_000);
    assertThat(tomb.toString()).contains("id=1", "address=a:1", "state=Tombstone");
  }

  @Test
  void mapOperations() {
    StoresInfo stores = new StoresInfo();
    stores.put(StoreInfo.of(meta(3, "c:1")));
    stores.put(StoreInfo.of(meta(1, "a:1")));
    stores.put(StoreInfo.of(meta(2, "a:1")));
    assertThat(stores.count()).isEqualTo(3);
    assertThat(stores.get(1).address()).isEqualTo("a:1");
    assertThat(stores.get(9)).isNull();
    assertThat(stores.all()).extracting(StoreInfo::id).containsExactly(1L, 2L, 3L);
    assertThat(stores.byAddress("a:1")).extracting(StoreInfo::id).containsExactly(1L, 2L);
    assertThat(stores.byAddress("b:1")).isEmpty();

    stores.put(StoreInfo.of(meta(1, "b:1")));
    assertThat(stores.count()).isEqualTo(3);
    assertThat(stores.byAddress("a:1")).extracting(StoreInfo::id).containsExactly(2L);

    assertThat(stores.update(9, s -> s.withStats(Pdpb.StoreStats.getDefaultInstance(), 1)))
        .isNull();
    assertThat(stores.get(9)).isNull();
    StoreInfo updated =
        stores.update(3, s -> s.withStats(Pdpb.StoreStats.getDefaultInstance(), 77));
    assertThat(updated.lastHeartbeatMillis()).isEqualTo(77);
    assertThat(stores.get(3)).isSameAs(updated);

    stores.remove(2);
    stores.remove(42);
    assertThat(stores.all()).extracting(StoreInfo::id).containsExactly(1L, 3L);
  }

  private static Metapb.Store labelled(long id, String zone) {
    return meta(id, "a:" + id).toBuilder()
        .addLabels(Metapb.StoreLabel.newBuilder().setKey("zone").setValue(zone)).build();
  }

  /** Each write, and whether it must change {@code labelsVersion}. */
  private record LabelStep(String what, java.util.function.Consumer<StoresInfo> write,
      boolean changes) {}

  @Test
  void labelsVersionChangesWhenAndOnlyWhenSomeStoresLabelsMayHave() {
    List<LabelStep> steps = List.of(
        new LabelStep("a store added", s -> s.put(StoreInfo.of(labelled(1, "z1"))), true),
        new LabelStep("a heartbeat (stats only)",
            s -> s.update(1, x -> x.withStats(Pdpb.StoreStats.getDefaultInstance(), 9)), false),
        new LabelStep("a state change keeping the labels", s -> s.update(1,
            x -> x.withMeta(x.meta().toBuilder().setState(Metapb.StoreState.Offline).build())),
            false),
        new LabelStep("the same labels put again as a new message",
            s -> s.put(StoreInfo.of(labelled(1, "z1"))), false),
        new LabelStep("a label value changed", s -> s.update(1,
            x -> x.withMeta(labelled(1, "z2"))), true),
        new LabelStep("an unknown store updated", s -> s.update(7,
            x -> x.withMeta(labelled(7, "z3"))), false),
        new LabelStep("a second store added", s -> s.put(StoreInfo.of(labelled(2, "z1"))), true),
        new LabelStep("a store removed", s -> s.remove(2), true),
        new LabelStep("an absent store removed", s -> s.remove(2), false),
        new LabelStep("a store dropped by its update", s -> s.update(1, x -> null), true));
    StoresInfo stores = new StoresInfo();
    for (LabelStep step : steps) {
      long before = stores.labelsVersion();
      step.write.accept(stores);
      assertThat(stores.labelsVersion() != before).as(step.what).isEqualTo(step.changes);
    }
  }

  @Test
  void getFollowsEveryWriteForAnyId() {
    StoresInfo stores = new StoresInfo();
    for (long id : new long[] {1, 1001, 5_000_000_007L}) {
      stores.put(StoreInfo.of(meta(id, "a:" + id)));
      assertThat(stores.get(id).address()).isEqualTo("a:" + id);
      StoreInfo changed = stores.update(id, s -> s.withStats(s.stats(), 7));
      assertThat(stores.get(id)).isSameAs(changed);
      assertThat(stores.all()).contains(changed);
      stores.update(id, s -> null); // a change to null drops the store, as computeIfPresent does
      assertThat(stores.get(id)).isNull();
      assertThat(stores.all()).isEmpty();
      stores.put(StoreInfo.of(meta(id, "b:" + id)));
      stores.remove(id);
      assertThat(stores.get(id)).isNull();
    }
  }

  @Test
  void concurrentUpdatesAreNotLost() throws Exception {
    StoresInfo stores = new StoresInfo();
    stores.put(StoreInfo.of(meta(1, "a:1")));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 1000; i++) {
            stores.update(1, s -> s.withStats(s.stats().toBuilder()
                .setRegionCount(s.stats().getRegionCount() + 1).build(), 0));
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(stores.get(1).stats().getRegionCount()).isEqualTo(4000);
  }

  @Test
  void allIsOneImmutableSnapshotUntilAWrite() {
    StoresInfo stores = new StoresInfo();
    stores.put(StoreInfo.of(meta(2, "b:1")));
    stores.put(StoreInfo.of(meta(1, "a:1")));
    List<StoreInfo> first = stores.all();
    assertThat(stores.all()).isSameAs(first);
    assertThatThrownBy(() -> first.add(StoreInfo.of(meta(3, "c:1"))))
        .isInstanceOf(UnsupportedOperationException.class);

    StoreInfo beat = stores.update(1, s -> s.withStats(Pdpb.StoreStats.getDefaultInstance(), 9));
    List<StoreInfo> second = stores.all();
    assertThat(second).isNotSameAs(first);
    assertThat(second.get(0)).isSameAs(beat);
    assertThat(first.get(0).lastHeartbeatMillis()).as("an old snapshot is unchanged").isZero();

    stores.remove(2);
    assertThat(stores.all()).extracting(StoreInfo::id).containsExactly(1L);
    stores.put(StoreInfo.of(meta(5, "e:1")));
    assertThat(stores.all()).extracting(StoreInfo::id).containsExactly(1L, 5L);
  }

  @Test
  void allAfterConcurrentWritesShowsTheLastOnes() throws Exception {
    StoresInfo stores = new StoresInfo();
    stores.put(StoreInfo.of(meta(1, "a:1")));
    stores.put(StoreInfo.of(meta(2, "b:1")));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        long id = t + 1;
        futures.add(pool.submit(() -> {
          for (int i = 1; i <= 2000; i++) {
            long beat = i;
            stores.update(id, s -> s.withStats(s.stats(), beat));
            // this thread's own write is complete: no snapshot older than it may come back
            assertThat(stores.all().get((int) id - 1).lastHeartbeatMillis())
                .isGreaterThanOrEqualTo(beat);
          }
        }));
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            assertThat(stores.all()).hasSize(2);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(stores.all()).extracting(StoreInfo::lastHeartbeatMillis)
        .containsExactly(2000L, 2000L);
  }
}
