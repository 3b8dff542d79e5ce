package dev.jpd.server.tso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.PdKeys;
import dev.jpd.core.testing.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The events the allocator reports for {@code pd_tso_events}, driven by a manual clock. */
@Timeout(30)
class TsoEventsTest {
  private static final long T0 = 1_700_000_000_000L;
  private final MemoryMetaStore store = new MemoryMetaStore();
  private final PdKeys keys = new PdKeys(42);
  private final TestClock clock = new TestClock(T0);
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<TsoEvent> events = new CopyOnWriteArrayList<>();
  private final TsoAllocator tso =
      new TsoAllocator(store, keys, clock, executor, Duration.ofSeconds(5), Duration.ofMillis(50),
          List.of(), events::add);

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
  }

  @Test
  void syncReportsSyncAndSyncOk() {
    tso.sync();
    assertThat(events).containsExactly(TsoEvent.SYNC, TsoEvent.SYNC_OK);
  }

  @Test
  void updatePassesReportSaveAndSkipAndSlowClock() {
    tso.sync();
    events.clear();
    tso.updateTimestamp(); // clock did not move: nothing to do
    assertThat(events).containsExactly(TsoEvent.SAVE, TsoEvent.SKIP_SAVE);
    events.clear();
    clock.advance(10);
    tso.updateTimestamp();
    assertThat(events).containsExactly(TsoEvent.SAVE);
    events.clear();
    clock.advance(-5);
    tso.updateTimestamp();
    assertThat(events).containsExactly(TsoEvent.SAVE, TsoEvent.SYSTEM_TIME_SLOW, TsoEvent.SKIP_SAVE);
  }

  @Test
  void aRefusedWindowWriteIsReported() {
    tso.sync();
    events.clear();
    // Someone else moves the window: the next extension is refused.
    store.put(keys.timestamp(), Bytes8.encode((T0 + 60_000) * 1_000_000L));
    clock.advance(5_000);
    assertThatThrownBy(tso::updateTimestamp).isInstanceOf(IllegalStateException.class);
    assertThat(events).containsExactly(TsoEvent.SAVE, TsoEvent.ERR_SAVE_UPDATE_TS);
  }

  @Test
  void notCountedWhileNotServing() {
    tso.updateTimestamp();
    assertThat(events).isEmpty();
  }
}
