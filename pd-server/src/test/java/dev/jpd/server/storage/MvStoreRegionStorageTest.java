package dev.jpd.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.storage.RegionStorage;
import dev.jpd.core.storage.RegionStorageContractTest;
import dev.jpd.proto.Metapb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MvStoreRegionStorageTest extends RegionStorageContractTest {
  /** Long enough that the flusher never runs on its own during a contract test. */
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path dir;
  // A field, not a @BeforeEach: the suite's @BeforeEach (which opens the storage) runs first.
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "region-flusher-test"));

  @AfterEach
  void stopExecutor() throws InterruptedException {
    // Runs before the suite's own @AfterEach: close while the executor still runs, then stop it.
    if (storage != null) {
      storage.close();
    }
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Override
  protected RegionStorage newStorage() {
    return MvStoreRegionStorage.open(dir, executor, NEVER);
  }

  @Override
  protected RegionStorage reopen() {
    return MvStoreRegionStorage.open(dir, executor, NEVER);
  }

  @Test
  void livesInItsOwnFile() {
    storage.save(region(1, 1));
    storage.flush();

    assertThat(dir.resolve("region-meta.mv.db")).isRegularFile();
    assertThat(dir.resolve("meta.mv.db")).doesNotExist();
  }

  @Test
  void flusherWritesOnItsInterval() {
    storage.close();
    storage = MvStoreRegionStorage.open(dir, executor, Duration.ofMillis(20));

    storage.save(region(1, 1));
    storage.save(region(2, 1));

    awaitTrue(() -> storage.pending() == 0, "the flusher to empty the queue");
    assertThat(loaded()).containsOnlyKeys(1L, 2L);
  }

  @Test
  void hundredPendingChangesFlushWithoutWaitingForTheInterval() {
    for (long id = 1; id <= MvStoreRegionStorage.URGENT_PENDING; id++) {
      storage.save(region(id, 1));
    }

    awaitTrue(() -> storage.pending() == 0, "an immediate flush of the backlog");
    assertThat(loaded()).hasSize(MvStoreRegionStorage.URGENT_PENDING);
  }

  @Test
  void oneCommitPerBatch() {
    List<Integer> batches = new CopyOnWriteArrayList<>();
    storage.close();
    storage = MvStoreRegionStorage.open(dir, executor, NEVER, batches::add);

    for (long id = 1; id <= 10; id++) {
      storage.save(region(id, 1));
    }
    storage.delete(3);
    storage.flush();

    assertThat(batches).containsExactly(10);
    assertThat(loaded()).hasSize(9);
  }

  @Test
  void saveNeverWaitsForASlowFlush() throws Exception {
    CountDownLatch flushHoldsBatch = new CountDownLatch(1);
    CountDownLatch diskMayFinish = new CountDownLatch(1);
    storage.close();
    storage =
        MvStoreRegionStorage.open(
            dir,
            executor,
            NEVER,
            batchSize -> {
              flushHoldsBatch.countDown();
              await(diskMayFinish);
            });
    storage.save(region(1, 1));
    CompletableFuture<Void> slowFlush = CompletableFuture.runAsync(storage::flush);
    assertThat(flushHoldsBatch.await(10, TimeUnit.SECONDS)).isTrue();

    // The flusher holds its batch and the "disk" is stuck: saves from another thread go through.
    CompletableFuture<Void> saves =
        CompletableFuture.runAsync(
            () -> {
              storage.save(region(1, 2));
              storage.save(region(2, 1));
              storage.delete(7);
            });
    saves.get(10, TimeUnit.SECONDS);
    assertThat(slowFlush).isNotDone();

    diskMayFinish.countDown();
    slowFlush.get(10, TimeUnit.SECONDS);
    // Region 1 was saved again during the flush: the newer version still waits, and so do 2 and 7.
    assertThat(storage.pending()).isEqualTo(3);
    assertThat(loaded()).containsOnly(Map.entry(1L, region(1, 1)));

    storage.flush();
    assertThat(storage.pending()).isZero();
    assertThat(loaded()).containsOnly(Map.entry(1L, region(1, 2)), Map.entry(2L, region(2, 1)));
  }

  @Test
  void failedFlushKeepsTheQueueForTheNextOne() {
    boolean[] failNext = {true};
    storage.close();
    storage =
        MvStoreRegionStorage.open(
            dir,
            executor,
            NEVER,
            batchSize -> {
              if (failNext[0]) {
                failNext[0] = false;
                throw new IllegalStateException("disk full");
              }
            });
    storage.save(region(1, 1));

    assertThatThrownBy(storage::flush)
        .hasMessageContaining("disk full")
        .hasMessageContaining("region-meta.mv.db");
    assertThat(storage.pending()).isEqualTo(1);
    assertThat(loaded()).isEmpty();

    storage.flush();
    assertThat(loaded()).containsOnly(Map.entry(1L, region(1, 1)));
  }

  @Test
  void savedRegionsReadBackAsTheSameProtobufs() {
    Metapb.Region r =
        region(5, 2).toBuilder()
            .addPeers(
                Metapb.Peer.newBuilder().setId(99).setStoreId(9).setRole(Metapb.PeerRole.Learner))
            .build();
    storage.save(r);
    storage.close();

    storage = reopen();

    assertThat(loaded()).containsOnly(Map.entry(5L, r));
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("latch never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
