package dev.jpd.server.tso;

import static dev.jpd.server.tso.Timestamp.MAX_LOGICAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.PdKeys;
import dev.jpd.core.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TsoAllocatorTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long SAVE_MS = 5_000;

  private final MemoryMetaStore store = new MemoryMetaStore();
  private final PdKeys keys = new PdKeys(42);
  private final TestClock clock = new TestClock(T0);
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
  }

  /** Update interval 1 ms, so that overflow retries wait 1 ms, not 50. */
  private TsoAllocator allocator(Clock c, List<Condition> guard) {
    return new TsoAllocator(
        store, keys, c, executor, Duration.ofMillis(SAVE_MS), Duration.ofMillis(1), guard);
  }

  private TsoAllocator allocator(Clock c) {
    return allocator(c, List.of());
  }

  /** The persisted window end, read back from the store in PD's layout (unix nanos). */
  private long storedNanos() {
    return Bytes8.decode(keys.timestamp(), store.get(keys.timestamp()).orElseThrow());
  }

  private long storedMillis() {
    return Math.floorDiv(storedNanos(), 1_000_000L);
  }

  @Test
  void syncPersistsTheWindowAsUnixNanosAndStartsAtTheClock() {
    TsoAllocator tso = allocator(clock);
    tso.sync();

    assertThat(storedNanos()).isEqualTo((T0 + SAVE_MS) * 1_000_000L);
    assertThat(tso.peek()).isEqualTo(new Timestamp(T0, 0));
    assertThat(tso.generate(1)).isEqualTo(new Timestamp(T0, 1));
  }

  @Test
  void aBatchReturnsItsLastTimestamp() {
    TsoAllocator tso = allocator(clock);
    tso.sync();

    Timestamp a = tso.generate(10);
    Timestamp b = tso.generate(10);

    assertThat(a).isEqualTo(new Timestamp(T0, 10));
    assertThat(b).isEqualTo(new Timestamp(T0, 20));
    assertThat(b.toTso() - a.toTso()).isEqualTo(10);
  }

  @Test
  void rejectsCountsOutsideTheLogicalRangeAndServesNothingBeforeSync() {
    TsoAllocator tso = allocator(clock);
    assertThatThrownBy(() -> tso.generate(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not synced");

    tso.sync();
    for (int bad : new int[] {0, -1, (int) MAX_LOGICAL}) {
      assertThatThrownBy(() -> tso.generate(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tso count")
          .hasMessageContaining(Integer.toString(bad));
    }
    assertThat(tso.generate((int) MAX_LOGICAL - 1)).isEqualTo(new Timestamp(T0, MAX_LOGICAL - 1));
  }

  @Test
  void updateFollowsTheClockOnlyWhenItMovedMoreThanOneMillisecond() {
    TsoAllocator tso = allocator(clock);
    tso.sync();
    tso.generate(5);

    clock.advance(1);
    tso.updateTimestamp();
    assertThat(tso.peek()).isEqualTo(new Timestamp(T0, 5));

    clock.advance(1);
    tso.updateTimestamp();
    assertThat(tso.peek()).isEqualTo(new Timestamp(T0 + 2, 0));
    assertThat(tso.generate(1)).isEqualTo(new Timestamp(T0 + 2, 1));
  }

  @Test
  void moreThanHalfTheLogicalRangeUsedAdvancesOneMillisecondOnAStuckClock() {
    TsoAllocator tso = allocator(clock);
    tso.sync();
    tso.generate((int) (MAX_LOGICAL / 2 + 1));

    tso.updateTimestamp();

    assertThat(tso.peek()).isEqualTo(new Timestamp(T0 + 1, 0));
  }

  @Test
  void logicalOverflowAdvancesThePhysicalTime() {
    TsoAllocator tso = allocator(clock);
    tso.sync();
    Timestamp full = tso.generate((int) MAX_LOGICAL - 1);

    Timestamp next = tso.generate(10);

    assertThat(full).isEqualTo(new Timestamp(T0, MAX_LOGICAL - 1));
    assertThat(next).isEqualTo(new Timestamp(T0 + 1, 10));

    // With the clock well ahead, the overflow update jumps to the clock.
    tso.generate((int) MAX_LOGICAL - 20);
    clock.advance(30);
    assertThat(tso.generate(100)).isEqualTo(new Timestamp(T0 + 30, 100));
  }

  @Test
  void aStuckClockStillYieldsIncreasingTimestampsAndTheWindowKeepsAhead() {
    TsoAllocator tso = allocator(clock);
    tso.sync();
    long firstWindow = storedMillis();
    long prev = 0;
    // 12 000 ms of physical time on a clock that never moves: the window must be extended twice.
    for (int i = 0; i < 12_000; i++) {
      Timestamp ts = tso.generate(200_000);
      assertThat(ts.toTso()).isGreaterThan(prev);
      assertThat(ts.physical()).isLessThan(storedMillis());
      prev = ts.toTso();
      tso.updateTimestamp();
      assertThat(tso.peek().physical()).isLessThan(storedMillis());
    }
    assertThat(Timestamp.fromTso(prev).physical()).isGreaterThan(T0 + 11_000);
    assertThat(storedMillis()).isGreaterThan(firstWindow + SAVE_MS);
    assertThat(clock.millis()).isEqualTo(T0);
  }

  @Test
  void withoutTheUpdateLoopOverflowStopsAtTheWindowInsteadOfPassingIt() {
    TsoAllocator tso = allocator(clock);
    tso.sync();
    long window = storedMillis();
    long prev = 0;
    IllegalStateException failure = null;
    for (int i = 0; i < 6_000 && failure == null; i++) {
      try {
        Timestamp ts = tso.generate(200_000);
        assertThat(ts.toTso()).isGreaterThan(prev);
        assertThat(ts.physical()).isLessThan(window);
        prev = ts.toTso();
      } catch (IllegalStateException e) {
        failure = e;
      }
    }

    assertThat(failure).isNotNull().hasMessageContaining("overflowed");
    assertThat(storedMillis()).isEqualTo(window);
    assertThat(Timestamp.fromTso(prev).physical()).isEqualTo(window - 2);
    // The periodic update extends the window and serving resumes.
    tso.updateTimestamp();
    assertThat(tso.generate(1).toTso()).isGreaterThan(prev);
    assertThat(storedMillis()).isGreaterThan(window);
  }

  @Test
  void theWindowIsAlwaysAheadOfEveryPhysicalTimeHandedOut() {
    TsoAllocator tso = allocator(clock);
    tso.sync();
    Random random = new Random(7);
    long prev = 0;
    long prevStored = storedMillis();
    for (int i = 0; i < 5_000; i++) {
      clock.advance(random.nextInt(3_000) - 200); // mostly forward, sometimes backwards
      if (random.nextBoolean()) {
        tso.updateTimestamp();
      }
      Timestamp ts = tso.generate(1 + random.nextInt(100_000));
      assertThat(ts.toTso()).isGreaterThan(prev);
      assertThat(ts.physical()).isLessThan(storedMillis());
      assertThat(storedMillis()).isGreaterThanOrEqualTo(prevStored);
      prev = ts.toTso();
      prevStored = storedMillis();
    }
  }

  @Test
  void aRestartOnAClockThatWentBackwardsStillIssuesLargerTimestamps() {
    TsoAllocator before = allocator(clock);
    before.sync();
    long max = 0;
    for (int i = 0; i < 100; i++) {
      clock.advance(100);
      before.updateTimestamp();
      max = Math.max(max, before.generate(1000).toTso());
    }
    long window = storedMillis();
    assertThat(Timestamp.fromTso(max).physical()).isLessThan(window);

    // kill -9, and the new process's clock is an hour behind.
    TestClock behind = new TestClock(T0 - 3_600_000);
    TsoAllocator after = allocator(behind);
    after.sync();

    Timestamp first = after.generate(1);
    assertThat(first.toTso()).isGreaterThan(max);
    assertThat(first.physical()).isEqualTo(window + 1);
    assertThat(storedMillis()).isEqualTo(window + 1 + SAVE_MS);
  }

  @Test
  void aRestartOnTheSameMillisecondStartsAboveTheSavedWindow() {
    TsoAllocator before = allocator(clock);
    before.sync();
    long max = before.generate(50).toTso();

    clock.set(T0 + SAVE_MS); // exactly at the old window end
    TsoAllocator after = allocator(clock);
    after.sync();

    assertThat(after.generate(1).toTso()).isGreaterThan(max);
    assertThat(after.peek().physical()).isEqualTo(T0 + SAVE_MS + 1);
  }

  @Test
  void readsAWindowThatGoPdSavedWithNanosecondPrecision() {
    long goNanos = (T0 + SAVE_MS) * 1_000_000L + 123_456;
    store.put(keys.timestamp(), Bytes8.encode(goNanos));
    TsoAllocator tso = allocator(clock);

    tso.sync();

    assertThat(tso.peek()).isEqualTo(new Timestamp(T0 + SAVE_MS + 1, 0));
    assertThat(storedNanos()).isEqualTo((T0 + 2 * SAVE_MS + 1) * 1_000_000L);
  }

  @Test
  void aWindowMovedBySomeoneElseFencesTheAllocator() {
    TsoAllocator tso = allocator(clock);
    tso.sync();
    tso.generate(1);
    byte[] theirs = Bytes8.encode((T0 + 60_000) * 1_000_000L);
    store.put(keys.timestamp(), theirs);

    clock.advance(SAVE_MS); // the next update must extend the window
    assertThatThrownBy(tso::updateTimestamp)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(keys.timestamp());

    assertThat(tso.isSynced()).isFalse();
    assertThatThrownBy(() -> tso.generate(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not synced");
    assertThat(store.get(keys.timestamp()).orElseThrow()).isEqualTo(theirs);
  }

  @Test
  void theUpdateLoopFencesOnAConflictAndStartSyncsAgainAboveTheOtherWindow() throws Exception {
    TsoAllocator tso = allocator(clock);
    tso.start();
    long mine = tso.generate(1).toTso();
    long theirEnd = T0 + 60_000;
    store.put(keys.timestamp(), Bytes8.encode(theirEnd * 1_000_000L));

    clock.advance(SAVE_MS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tso.isSynced() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThatThrownBy(() -> tso.generate(1)).isInstanceOf(IllegalStateException.class);

    tso.start();
    Timestamp after = tso.generate(1);
    assertThat(after.toTso()).isGreaterThan(mine);
    assertThat(after.physical()).isEqualTo(theirEnd + 1);
    tso.stop();
  }

  @Test
  void aFailedLeaderGuardRefusesToStart() {
    byte[] me = "pd-1".getBytes(StandardCharsets.UTF_8);
    store.put(keys.leader(), "pd-2".getBytes(StandardCharsets.UTF_8));
    TsoAllocator tso = allocator(clock, List.of(Condition.valueEquals(keys.leader(), me)));

    assertThatThrownBy(tso::start).isInstanceOf(IllegalStateException.class);
    assertThat(store.get(keys.timestamp())).isEmpty();
    assertThatThrownBy(() -> tso.generate(1)).isInstanceOf(IllegalStateException.class);

    store.put(keys.leader(), me);
    tso.start();
    assertThat(tso.generate(1)).isEqualTo(new Timestamp(T0, 1));
    tso.stop();
  }

  @Test
  void theUpdateLoopRunsBetweenStartAndStopAndStopIsIdempotent() throws Exception {
    TsoAllocator tso = allocator(clock);
    tso.start();
    tso.start(); // no second loop, no second sync
    assertThat(tso.generate(1)).isEqualTo(new Timestamp(T0, 1));

    clock.advance(100);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tso.peek().physical() != T0 + 100 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(tso.peek().physical()).isEqualTo(T0 + 100);
    long last = tso.generate(1).toTso();

    tso.stop();
    tso.stop();
    assertThat(executor.isShutdown()).isFalse();
    assertThatThrownBy(() -> tso.generate(1)).isInstanceOf(IllegalStateException.class);

    tso.start();
    assertThat(tso.generate(1).toTso()).isGreaterThan(last);
    tso.stop();
  }

  @Test
  void eightThreadsGetStrictlyIncreasingDisjointBatches() throws Exception {
    TsoAllocator tso =
        new TsoAllocator(
            store,
            keys,
            Clock.systemUTC(),
            executor,
            TsoAllocator.DEFAULT_SAVE_INTERVAL,
            TsoAllocator.DEFAULT_UPDATE_PHYSICAL_INTERVAL,
            List.of());
    tso.start();
    int threads = 8;
    int batches = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<long[][]>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        futures.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  long[][] ranges = new long[batches][];
                  for (int i = 0; i < batches; i++) {
                    int count = 1 + random.nextInt(10);
                    long last = tso.generate(count).toTso();
                    ranges[i] = new long[] {last - count + 1, last};
                  }
                  return ranges;
                }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[][]> f : futures) {
        long[][] ranges = f.get();
        for (int i = 1; i < ranges.length; i++) {
          assertThat(ranges[i][1]).isGreaterThan(ranges[i - 1][1]);
        }
        all.addAll(Arrays.asList(ranges));
      }
      all.sort(Comparator.comparingLong(r -> r[0]));
      for (int i = 1; i < all.size(); i++) {
        assertThat(all.get(i)[0])
            .as("batch %d overlaps the previous one", i)
            .isGreaterThan(all.get(i - 1)[1]);
      }
      long maxPhysical = Timestamp.fromTso(all.get(all.size() - 1)[1]).physical();
      assertThat(maxPhysical).isLessThan(storedMillis());
    } finally {
      pool.shutdownNow();
      tso.stop();
    }
  }
}
