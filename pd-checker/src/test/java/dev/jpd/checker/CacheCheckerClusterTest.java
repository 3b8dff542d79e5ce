package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cached store classification must never hide a change: snapshot, clock or config. */
@Timeout(10)
class CacheCheckerClusterTest {

  @Test
  void aNewStoreSnapshotIsSeenAtTheSameMillisecond() {
    FakeCluster c = new FakeCluster().addStores(1, 2);
    assertThat(c.view.storeStatus(1).stateName()).isEqualTo("Up");
    c.setStoreDown(1);
    assertThat(c.view.storeStatus(1).stateName()).isEqualTo("Down");
    c.setStoreOffline(2);
    assertThat(c.view.storeStatus(2).stateName()).isEqualTo("Offline");
  }

  @Test
  void silenceGrowsWithTheClock() {
    FakeCluster c = new FakeCluster().addStores(1);
    assertThat(c.view.storeStatus(1).down()).isFalse();
    c.clock.advance(c.config().maxStoreDownTime().plusSeconds(1));
    assertThat(c.view.storeStatus(1).down()).isTrue();
    assertThat(c.view.isStoreDown(1)).isTrue();
  }

  @Test
  void aShorterMaxStoreDownTimeIsSeenAtOnce() {
    FakeCluster c = new FakeCluster().addStores(1);
    c.setStoreSilent(1, Duration.ofMinutes(5));
    assertThat(c.view.storeStatus(1).down()).isFalse();
    c.config(b -> b.maxStoreDownTime(Duration.ofMinutes(1)));
    assertThat(c.view.storeStatus(1).down()).isTrue();
  }
}
