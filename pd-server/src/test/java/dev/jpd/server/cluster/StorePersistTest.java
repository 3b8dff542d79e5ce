package dev.jpd.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.MemoryRegionStorage;
import dev.jpd.core.storage.PdKeys;
import dev.jpd.core.store.StoreStates;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.core.testing.TestClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A store's last heartbeat is saved with its metadata at most every 5 minutes (PD's {@code
 * storePersistInterval}), so that a PD restarted on the same storage knows when it was last seen.
 */
@Timeout(30)
class StorePersistTest {
  static final long CLUSTER = 7;

  final TestClock clock = new TestClock(1_700_000_000_000L);
  final MemoryMetaStore meta = new MemoryMetaStore();
  final PdKeys keys = new PdKeys(CLUSTER);

  RaftCluster start() {
    RaftCluster c = new RaftCluster(CLUSTER, meta, new MemoryRegionStorage(), clock);
    c.load();
    return c;
  }

  RaftCluster bootstrapped() {
    RaftCluster c = start();
    Metapb.Store store = Metapb.Store.newBuilder().setId(1).setAddress("127.0.0.1:20160").build();
    Metapb.Region region = Metapb.Region.newBuilder()
        .setId(2)
        .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setVersion(1).setConfVer(1))
        .addPeers(Metapb.Peer.newBuilder().setId(3).setStoreId(1))
        .build();
    c.bootstrap(store, region, 3);
    return c;
  }

  static void heartbeat(RaftCluster c) {
    c.storeHeartbeat(Pdpb.StoreStats.newBuilder().setStoreId(1).build());
  }

  /** The stored store's last_heartbeat, in epoch millis. */
  long storedHeartbeatMillis() throws Exception {
    byte[] v = meta.get(keys.store(1)).orElseThrow();
    return Metapb.Store.parseFrom(v).getLastHeartbeat() / 1_000_000L;
  }

  @Test
  void theFirstHeartbeatSavesThenAtMostEveryFiveMinutes() throws Exception {
    RaftCluster c = bootstrapped();
    long t0 = clock.millis();
    heartbeat(c);
    assertThat(storedHeartbeatMillis()).isEqualTo(t0);

    clock.advance(StoreStates.PERSIST_INTERVAL);
    heartbeat(c);
    assertThat(storedHeartbeatMillis()).as("exactly 5 minutes later: not yet").isEqualTo(t0);

    clock.advance(1);
    heartbeat(c);
    long t1 = clock.millis();
    assertThat(storedHeartbeatMillis()).isEqualTo(t1);
    assertThat(c.getStore(1).orElseThrow().meta().getLastHeartbeat()).isEqualTo(t1 * 1_000_000L);

    clock.advance(Duration.ofMinutes(1));
    heartbeat(c);
    assertThat(storedHeartbeatMillis()).isEqualTo(t1);
  }

  @Test
  void aRestartedPdKnowsWhenTheStoreWasLastSeen() {
    RaftCluster c = bootstrapped();
    heartbeat(c);
    clock.advance(Duration.ofMinutes(6));
    heartbeat(c);
    long lastSaved = clock.millis();
    clock.advance(Duration.ofMinutes(2));
    heartbeat(c); // not saved: within the interval

    clock.advance(Duration.ofHours(1));
    RaftCluster restarted = start();
    assertThat(restarted.getStore(1).orElseThrow().lastSeenMillis()).isEqualTo(lastSaved);
  }

  @Test
  void savingTheHeartbeatKeepsAStateChangeMadeMeanwhile() throws Exception {
    RaftCluster c = bootstrapped();
    heartbeat(c);
    c.setStoreState(1, Metapb.StoreState.Offline);
    clock.advance(Duration.ofMinutes(6));
    heartbeat(c);
    Metapb.Store stored = Metapb.Store.parseFrom(meta.get(keys.store(1)).orElseThrow());
    assertThat(stored.getState()).isEqualTo(Metapb.StoreState.Offline);
    assertThat(stored.getLastHeartbeat() / 1_000_000L).isEqualTo(clock.millis());
  }

  /**
   * Store heartbeats (no lock) racing state changes (under the store lock): whenever no state
   * change is in flight, the cached state must be the stored one. A heartbeat that wrote back the
   * snapshot it read before the change would revert the cached state.
   */
  @Test
  void heartbeatsNeverRevertAConcurrentStateChangeInTheCache() throws Exception {
    RaftCluster c = bootstrapped();
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread beats = new Thread(() -> {
      long n = 0;
      while (!done.get()) {
        c.storeHeartbeat(Pdpb.StoreStats.newBuilder().setStoreId(1).setCapacity(++n).build());
      }
    }, "store-heartbeats");
    beats.setUncaughtExceptionHandler((t, e) -> failure.set(e));
    beats.start();
    int mismatches = 0;
    try {
      for (int i = 0; i < 20_000; i++) {
        Metapb.StoreState want = i % 2 == 0 ? Metapb.StoreState.Offline : Metapb.StoreState.Up;
        c.setStoreState(1, want);
        Thread.onSpinWait();
        if (c.getStore(1).orElseThrow().meta().getState() != want) {
          mismatches++;
        }
      }
    } finally {
      done.set(true);
      beats.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(mismatches).as("state changes reverted in the cache by a heartbeat").isZero();
    Metapb.Store stored = Metapb.Store.parseFrom(meta.get(keys.store(1)).orElseThrow());
    assertThat(c.getStore(1).orElseThrow().meta().getState()).isEqualTo(stored.getState());
  }
}
