package dev.jpd.server.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.PdKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdAllocatorTest {
  private final MemoryMetaStore store = new MemoryMetaStore();
  private final PdKeys keys = new PdKeys(7);

  private long persisted() {
    return Bytes8.decode(keys.allocId(), store.get(keys.allocId()).orElseThrow());
  }

  @Test
  void firstIdsStartAtOneAndTheWindowIsPersistedFirst() {
    IdAllocator ids = new IdAllocator(store, keys);

    assertThat(ids.alloc(1)).isEqualTo(1);
    assertThat(persisted()).isEqualTo(1000);
    assertThat(ids.alloc(1)).isEqualTo(2);
    assertThat(ids.end()).isEqualTo(1000);
  }

  @Test
  void countZeroIsOneAndTheLastIdOfTheBatchIsReturned() {
    IdAllocator ids = new IdAllocator(store, keys);

    assertThat(ids.alloc(0)).isEqualTo(1);
    assertThat(ids.alloc(5)).isEqualTo(6);
    assertThat(ids.alloc(0)).isEqualTo(7);
    assertThatThrownBy(() -> ids.alloc(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThat(ids.base()).isEqualTo(7);
  }

  @Test
  void idsStartAboveAnExistingPersistedEnd() {
    store.put(keys.allocId(), Bytes8.encode(5000));

    assertThat(new IdAllocator(store, keys).alloc(1)).isEqualTo(5001);
    assertThat(persisted()).isEqualTo(6000);
  }

  @Test
  void aBatchSpanningSeveralWindowsStaysContiguous() {
    IdAllocator ids = new IdAllocator(store, keys);
    assertThat(ids.alloc(998)).isEqualTo(998);

    // 998 + 2500 = 3498: needs the window to grow from 1000 to 4000 in one write.
    assertThat(ids.alloc(2500)).isEqualTo(3498);
    assertThat(persisted()).isEqualTo(4000);
    assertThat(ids.alloc(502)).isEqualTo(4000);
    assertThat(persisted()).isEqualTo(4000);
    assertThat(ids.alloc(1)).isEqualTo(4001);
    assertThat(persisted()).isEqualTo(5000);
  }

  @Test
  void aRestartSkipsTheRestOfTheWindowAndNeverRepeatsAnId() {
    IdAllocator first = new IdAllocator(store, keys);
    assertThat(first.alloc(1500)).isEqualTo(1500);
    assertThat(persisted()).isEqualTo(2000);

    // kill -9: the first allocator is gone without a word; a new one reads the store.
    IdAllocator second = new IdAllocator(store, keys);
    assertThat(second.alloc(1)).isEqualTo(2001);
    assertThat(persisted()).isEqualTo(3000);
  }

  @Test
  void manyRestartsNeverRepeatAnId() {
    Random random = new Random(42);
    Set<Long> seen = new HashSet<>();
    for (int run = 0; run < 30; run++) {
      IdAllocator ids = new IdAllocator(store, keys, 100);
      int batches = random.nextInt(20);
      for (int b = 0; b < batches; b++) {
        int count = 1 + random.nextInt(150);
        long last = ids.alloc(count);
        for (long id = last - count + 1; id <= last; id++) {
          assertThat(seen.add(id)).as("id %d handed out twice", id).isTrue();
        }
        assertThat(persisted()).isGreaterThanOrEqualTo(last);
      }
    }
  }

  @Test
  void concurrentCallersGetDisjointContiguousBatches() throws Exception {
    IdAllocator ids = new IdAllocator(store, keys, 1000);
    int threads = 8;
    int perThread = 2000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<long[]>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        futures.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  List<long[]> batches = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    int count = random.nextInt(20); // includes 0, treated as 1
                    batches.add(new long[] {ids.alloc(count), Math.max(1, count)});
                  }
                  return batches;
                }));
      }
      Set<Long> seen = new HashSet<>();
      for (Future<List<long[]>> f : futures) {
        for (long[] batch : f.get()) {
          for (long id = batch[0] - batch[1] + 1; id <= batch[0]; id++) {
            assertThat(seen.add(id)).as("id %d handed out twice", id).isTrue();
          }
        }
      }
      // One allocator, no restart: exactly 1..n, nothing skipped.
      assertThat(seen).hasSize((int) ids.base());
      assertThat(seen.stream().mapToLong(Long::longValue).min().orElseThrow()).isEqualTo(1);
      assertThat(persisted()).isGreaterThanOrEqualTo(ids.base());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWindowMovedBySomeoneElseFailsTheExtensionAndHandsOutNothing() {
    IdAllocator old = new IdAllocator(store, keys);
    assertThat(old.alloc(1)).isEqualTo(1);
    IdAllocator usurper = new IdAllocator(store, keys);
    assertThat(usurper.alloc(1)).isEqualTo(1001);

    // Ids inside the old window are still unique (the usurper started above it)...
    assertThat(old.alloc(998)).isEqualTo(999);
    assertThat(old.alloc(1)).isEqualTo(1000);
    // ...but extending the window must not trample the usurper's.
    assertThatThrownBy(() -> old.alloc(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(keys.allocId())
        .hasMessageContaining("1000");
    assertThat(old.base()).isEqualTo(1000);
    assertThat(persisted()).isEqualTo(2000);
    assertThatThrownBy(() -> old.alloc(1)).isInstanceOf(IllegalStateException.class);

    // rebase() (what a new leader does) re-reads the key and moves above everyone.
    old.rebase();
    assertThat(old.alloc(1)).isEqualTo(2001);
    assertThat(persisted()).isEqualTo(3000);
  }

  @Test
  void theLeaderGuardMustHoldForEveryWindowWrite() {
    byte[] me = "member-1".getBytes(StandardCharsets.UTF_8);
    store.put(keys.leader(), me);
    IdAllocator ids =
        new IdAllocator(store, keys, 10, List.of(Condition.valueEquals(keys.leader(), me)));
    assertThat(ids.alloc(10)).isEqualTo(10);

    store.put(keys.leader(), "member-2".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ids.alloc(1)).isInstanceOf(IllegalStateException.class);
    assertThat(persisted()).isEqualTo(10);
  }

  @Test
  void rejectsANonPositiveStep() {
    assertThatThrownBy(() -> new IdAllocator(store, keys, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("step");
  }
}
