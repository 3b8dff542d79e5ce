package dev.jpd.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreContractTest;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.Operation;
import dev.jpd.server.testing.EtcdHarness;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract against a real etcd: one etcd for the class, emptied before every test. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EtcdMetaStoreTest extends MetaStoreContractTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static EtcdHarness etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdHarness.start();
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Override
  protected MetaStore newStore() {
    etcd.deleteAllKeys();
    return EtcdMetaStore.connect(List.of(etcd.endpoint()), TIMEOUT);
  }

  @Override
  protected MetaStore reopen() {
    return EtcdMetaStore.connect(List.of(etcd.endpoint()), TIMEOUT);
  }

  @Test
  void twoClientsSeeEachOthersWrites() {
    try (MetaStore other = reopen()) {
      other.put("/pd/cluster_id", bytes("id"));
      assertThat(store.get("/pd/cluster_id"))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("id")));
      assertThat(store.txn(List.of(Condition.absent("/pd/cluster_id")), List.of())).isFalse();
    }
  }

  @Test
  void unreachableEtcdFailsWithinTheTimeoutNamingKeyAndEndpoint() {
    String nobody = "http://127.0.0.1:" + EtcdHarness.freePorts(1)[0];
    Duration timeout = Duration.ofMillis(500);
    try (MetaStore down = EtcdMetaStore.connect(List.of(nobody), timeout)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> down.get("/pd/cluster_id"))
          .isInstanceOf(MetaStoreException.class)
          .hasMessageContaining("/pd/cluster_id")
          .hasMessageContaining(nobody);
      assertThatThrownBy(() -> down.put("/pd/1/alloc_id", bytes("x")))
          .isInstanceOf(MetaStoreException.class)
          .hasMessageContaining("/pd/1/alloc_id")
          .hasMessageContaining(nobody)
          .hasMessageContaining("outcome unknown");
      assertThatThrownBy(
              () ->
                  down.txn(
                      List.of(Condition.absent("/pd/1/raft")),
                      List.of(Operation.put("/pd/1/raft", bytes("c")))))
          .isInstanceOf(MetaStoreException.class)
          .hasMessageContaining("/pd/1/raft")
          .hasMessageContaining(nobody);
      assertThatThrownBy(() -> down.scanPrefix("/pd/1/raft/s/", 0))
          .isInstanceOf(MetaStoreException.class)
          .hasMessageContaining("/pd/1/raft/s/");
      // Four calls, each bounded by 500 ms: far below this bound unless a deadline is missing.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  void badEndpointIsRejectedAtConnect() {
    assertThatThrownBy(() -> EtcdMetaStore.connect(List.of(), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EtcdMetaStore.connect(List.of(etcd.endpoint()), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
