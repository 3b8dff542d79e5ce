package dev.jpd.core.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentLongMapTest {
  /** A value that names its key and counts the swaps it has been through. */
  private record Box(long key, long swaps) {}

  @Test
  void behavesLikeAHashMapUnderRandomPutsRemovesAndReplaces() {
    Random rnd = new Random(7);
    ConcurrentLongMap<Box> map = new ConcurrentLongMap<>();
    Map<Long, Box> model = new HashMap<>();
    int capacities = 0;
    int lastCapacity = map.capacity();
    for (int i = 0; i < 300_000; i++) {
      // Phases of small and wide key ranges: collisions, tombstones, growth and shrinking.
      long key = i % 60_000 < 30_000 ? 1 + rnd.nextInt(4000) : rnd.nextLong() | 1;
      int op = rnd.nextInt(10);
      if (op < 4) {
        Box b = new Box(key, i);
        assertThat(map.put(key, b)).as("put %d", key).isEqualTo(model.put(key, b));
      } else if (op < 7) {
        assertThat(map.remove(key)).as("remove %d", key).isEqualTo(model.remove(key));
      } else if (op < 9) {
        Box cur = model.get(key);
        Box expect = cur != null && rnd.nextBoolean() ? cur : new Box(key, -1);
        Box update = new Box(key, i);
        boolean swapped = map.replace(key, expect, update);
        assertThat(swapped).as("replace %d", key).isEqualTo(expect == cur);
        if (swapped) {
          model.put(key, update);
        }
      } else {
        assertThat(map.get(key)).as("get %d", key).isSameAs(model.get(key));
      }
      assertThat(map.size()).isEqualTo(model.size());
      if (map.capacity() != lastCapacity) {
        capacities++;
        lastCapacity = map.capacity();
      }
    }
    for (Map.Entry<Long, Box> e : model.entrySet()) {
      assertThat(map.get(e.getKey())).isSameAs(e.getValue());
    }
    assertThat(capacities).as("table copies that changed the capacity").isGreaterThan(5);
  }

  @Test
  void tombstonesAreDroppedWhenTheTableIsCopied() {
    ConcurrentLongMap<Box> map = new ConcurrentLongMap<>();
    for (long k = 1; k <= 100_000; k++) {
      map.put(k, new Box(k, 0));
      map.remove(k);
    }
    // 100,000 distinct keys went through, but never more than one was live.
    assertThat(map.size()).isZero();
    assertThat(map.capacity()).isLessThanOrEqualTo(64);
    assertThat(map.get(99_999)).isNull();
  }

  @Test
  void rejectsKeyZeroAndNullValues() {
    ConcurrentLongMap<Box> map = new ConcurrentLongMap<>();
    assertThatThrownBy(() -> map.put(0, new Box(0, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key 0");
    assertThatThrownBy(() -> map.put(1, null)).isInstanceOf(NullPointerException.class);
    assertThat(map.get(0)).isNull();
    assertThat(map.remove(0)).isNull();
  }

  /**
   * One writer grows the map from empty to 150,000 keys, removes them and repeats with new keys
   * (some 18 table copies) while readers look up a fixed set of keys and replacers count swaps on
   * them. Readers must never miss a fixed key nor see another key's value or an older swap count
   * than they saw before; at the end each fixed key's count must equal the swaps its replacers
   * won, so no swap was lost by a copy.
   */
  @Test
  void readersAndReplacersNeverLoseAnEntryOrASwapWhileTheWriterCopiesTables() throws Exception {
    ConcurrentLongMap<Box> map = new ConcurrentLongMap<>();
    int fixed = 64;
    long firstFixed = 1_000_000_000L;
    for (long k = firstFixed; k < firstFixed + fixed; k++) {
      map.put(k, new Box(k, 0));
    }
    AtomicBoolean done = new AtomicBoolean();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicLongArray won = new AtomicLongArray(fixed);
    CountDownLatch started = new CountDownLatch(4);
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      int seed = r;
      threads.add(new Thread(() -> {
        long[] seen = new long[fixed];
        Random rnd = new Random(seed);
        started.countDown();
        while (!done.get()) {
          int j = rnd.nextInt(fixed);
          Box b = map.get(firstFixed + j);
          if (b == null || b.key() != firstFixed + j || b.swaps() < seen[j]) {
            failures.add("reader saw " + b + " for key " + (firstFixed + j) + " after "
                + seen[j] + " swaps");
            return;
          }
          seen[j] = b.swaps();
        }
      }, "reader-" + r));
    }
    for (int r = 0; r < 2; r++) {
      int seed = 10 + r;
      threads.add(new Thread(() -> {
        Random rnd = new Random(seed);
        started.countDown();
        while (!done.get()) {
          int j = rnd.nextInt(fixed);
          long key = firstFixed + j;
          Box b = map.get(key);
          if (map.replace(key, b, new Box(key, b.swaps() + 1))) {
            won.incrementAndGet(j);
          }
        }
      }, "replacer-" + r));
    }
    threads.forEach(Thread::start);
    started.await();
    for (int round = 0; round < 3; round++) {
      // New keys each round, so that the copies also drop the last round's tombstones.
      long base = round * 1_000_000L;
      for (long k = base + 1; k <= base + 150_000; k++) {
        map.put(k, new Box(k, 0));
      }
      for (long k = base + 1; k <= base + 150_000; k++) {
        map.remove(k);
      }
    }
    done.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    // 15 copies grow the table to 2^19 slots in the first round; later rounds add clean-ups.
    assertThat(map.copies()).as("table copies during the run").isGreaterThan(15);
    long total = 0;
    for (int j = 0; j < fixed; j++) {
      assertThat(map.get(firstFixed + j).swaps()).as("swaps of key %d", firstFixed + j)
          .isEqualTo(won.get(j));
      total += won.get(j);
    }
    assertThat(total).as("swaps won in all").isPositive();
    assertThat(map.size()).isEqualTo(fixed);
  }
}
