package dev.jpd.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link MetaStore} contract, run against every implementation: extend it, return a fresh,
 * empty store from {@link #newStore()} and, for a durable store, the same data again from {@link
 * #reopen()}. {@link MemoryMetaStore} is the reference; etcd is the model it copies (key order,
 * compare-and-swap, one write per key per transaction).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class MetaStoreContractTest {

  /** The store under test; the suite closes it after each test. */
  protected MetaStore store;

  /** A fresh store that holds no keys. */
  protected abstract MetaStore newStore();

  /**
   * Opens the data of {@link #store} again after the suite closed it; null when the
   * implementation keeps nothing across a close (the durability test is then skipped).
   */
  protected MetaStore reopen() {
    return null;
  }

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void getOfAbsentKeyIsEmpty() {
    assertThat(store.get("/contract/absent")).isEmpty();
  }

  @Test
  void getReturnsWhatWasPut() {
    store.put("/contract/a", bytes("one"));

    assertThat(store.get("/contract/a"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("one")));
  }

  @Test
  void emptyValueIsPresent() {
    store.put("/contract/empty", new byte[0]);

    assertThat(store.get("/contract/empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(store.scanPrefix("/contract/", 0)).containsExactly(kv("/contract/empty", ""));
  }

  @Test
  void putOverwrites() {
    store.put("/contract/a", bytes("one"));
    store.put("/contract/a", bytes("two"));

    assertThat(value("/contract/a")).isEqualTo("two");
    assertThat(store.scanPrefix("/contract/", 0)).hasSize(1);
  }

  @Test
  void valuesAreCopiedInAndOut() {
    byte[] mine = bytes("one");
    store.put("/contract/a", mine);
    mine[0] = 'X';
    assertThat(value("/contract/a")).isEqualTo("one");

    store.get("/contract/a").orElseThrow()[0] = 'Y';
    store.scanPrefix("/contract/", 0).get(0).value()[0] = 'Z';
    assertThat(value("/contract/a")).isEqualTo("one");

    byte[] inTxn = bytes("two");
    assertThat(store.txn(List.of(), List.of(Operation.put("/contract/b", inTxn)))).isTrue();
    inTxn[0] = 'X';
    assertThat(value("/contract/b")).isEqualTo("two");
  }

  @Test
  void deleteRemovesKey() {
    store.put("/contract/a", bytes("one"));
    store.put("/contract/b", bytes("two"));

    store.delete("/contract/a");

    assertThat(store.get("/contract/a")).isEmpty();
    assertThat(value("/contract/b")).isEqualTo("two");
  }

  @Test
  void deleteOfAbsentKeyIsNoError() {
    store.delete("/contract/never-written");

    assertThat(store.get("/contract/never-written")).isEmpty();
  }

  @Test
  void scanPrefixReturnsKeysInAscendingOrder() {
    List<Long> ids = new ArrayList<>(List.of(3L, 1L, 20L, 2L, 10L, 100L));
    Collections.shuffle(ids, new java.util.Random(7));
    PdKeys keys = new PdKeys(1);
    for (long id : ids) {
      store.put(keys.store(id), bytes("s" + id));
    }

    assertThat(keysOf(store.scanPrefix(keys.storePrefix(), 0)))
        .containsExactly(
            keys.store(1),
            keys.store(2),
            keys.store(3),
            keys.store(10),
            keys.store(20),
            keys.store(100));
    assertThat(keys.store(2)).isEqualTo("/pd/1/raft/s/00000000000000000002");
  }

  @Test
  void scanOrderIsUnsignedUtf8ByteOrder() {
    // UTF-16 order (String.compareTo) puts U+1F600 before U+FFFD; UTF-8 bytes (F0.. > EF..) do not.
    String bmpHigh = "/contract/u/\uFFFD";
    String supplementary = "/contract/u/\uD83D\uDE00";
    String accented = "/contract/u/\u00E9"; // C3 A9: above every ASCII byte when unsigned
    String ascii = "/contract/u/z";
    for (String k : List.of(supplementary, accented, bmpHigh, ascii)) {
      store.put(k, bytes(k));
    }

    assertThat(keysOf(store.scanPrefix("/contract/u/", 0)))
        .containsExactly(ascii, accented, bmpHigh, supplementary);
    assertThat(store.get(supplementary))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(supplementary)));
  }

  @Test
  void scanPrefixMatchesOnlyKeysStartingWithIt() {
    for (String k :
        List.of(
            "/pd/1/raft",
            "/pd/1/raft/r/00000000000000000001",
            "/pd/1/raft/s",
            "/pd/1/raft/s/00000000000000000001",
            "/pd/1/raft/sx",
            "/pd/1/raft/t",
            "/pd/10/raft/s/00000000000000000001")) {
      store.put(k, bytes("v"));
    }

    assertThat(keysOf(store.scanPrefix("/pd/1/raft/s/", 0)))
        .containsExactly("/pd/1/raft/s/00000000000000000001");
    assertThat(keysOf(store.scanPrefix("/pd/1/raft/s", 0)))
        .containsExactly("/pd/1/raft/s", "/pd/1/raft/s/00000000000000000001", "/pd/1/raft/sx");
    assertThat(store.scanPrefix("/pd/1/raft/q", 0)).isEmpty();
    assertThat(store.scanPrefix("/pd/1/raft/s/00000000000000000001/", 0)).isEmpty();
  }

  @Test
  void emptyPrefixScansEverything() {
    store.put("/contract/b", bytes("2"));
    store.put("/contract/a", bytes("1"));

    assertThat(store.scanPrefix("", 0))
        .containsExactly(kv("/contract/a", "1"), kv("/contract/b", "2"));
  }

  @Test
  void scanPrefixHonoursLimit() {
    for (int i = 5; i >= 1; i--) {
      store.put("/contract/l/" + i, bytes("v" + i));
    }

    assertThat(store.scanPrefix("/contract/l/", 2))
        .containsExactly(kv("/contract/l/1", "v1"), kv("/contract/l/2", "v2"));
    assertThat(store.scanPrefix("/contract/l/", 5)).hasSize(5);
    assertThat(store.scanPrefix("/contract/l/", 9)).hasSize(5);
    assertThat(store.scanPrefix("/contract/l/", 0)).hasSize(5);
    assertThat(store.scanPrefix("/contract/l/", -1)).hasSize(5);
  }

  @Test
  void txnWithAbsentConditionAppliesWhenKeyIsAbsent() {
    boolean ok =
        store.txn(
            List.of(Condition.absent("/contract/boot")),
            List.of(
                Operation.put("/contract/boot", bytes("1")),
                Operation.put("/contract/meta", bytes("m"))));

    assertThat(ok).isTrue();
    assertThat(value("/contract/boot")).isEqualTo("1");
    assertThat(value("/contract/meta")).isEqualTo("m");
  }

  @Test
  void txnWithAbsentConditionFailsWhenKeyIsPresentAndAppliesNothing() {
    store.put("/contract/boot", bytes("1"));

    boolean ok =
        store.txn(
            List.of(Condition.absent("/contract/boot")),
            List.of(
                Operation.put("/contract/boot", bytes("2")),
                Operation.put("/contract/meta", bytes("m"))));

    assertThat(ok).isFalse();
    assertThat(value("/contract/boot")).isEqualTo("1");
    assertThat(store.get("/contract/meta")).isEmpty();
  }

  @Test
  void absentConditionFailsForKeyHoldingEmptyValue() {
    store.put("/contract/empty", new byte[0]);

    assertThat(store.txn(List.of(Condition.absent("/contract/empty")), List.of())).isFalse();
  }

  @Test
  void txnWithValueEqualsAppliesOnlyOnExactValue() {
    store.put("/contract/window", Bytes8.encode(1000));

    assertThat(
            store.txn(
                List.of(Condition.valueEquals("/contract/window", Bytes8.encode(999))),
                List.of(Operation.put("/contract/window", Bytes8.encode(2000)))))
        .isFalse();
    assertThat(Bytes8.decode("/contract/window", store.get("/contract/window").orElseThrow()))
        .isEqualTo(1000);

    assertThat(
            store.txn(
                List.of(Condition.valueEquals("/contract/window", Bytes8.encode(1000))),
                List.of(Operation.put("/contract/window", Bytes8.encode(2000)))))
        .isTrue();
    assertThat(Bytes8.decode("/contract/window", store.get("/contract/window").orElseThrow()))
        .isEqualTo(2000);
  }

  @Test
  void valueEqualsFailsOnAbsentKeyEvenForEmptyValue() {
    assertThat(
            store.txn(
                List.of(Condition.valueEquals("/contract/none", new byte[0])),
                List.of(Operation.put("/contract/x", bytes("x")))))
        .isFalse();
    assertThat(store.get("/contract/x")).isEmpty();
  }

  @Test
  void txnNeedsEveryCondition() {
    store.put("/contract/a", bytes("1"));

    boolean ok =
        store.txn(
            List.of(
                Condition.valueEquals("/contract/a", bytes("1")), Condition.absent("/contract/a")),
            List.of(Operation.put("/contract/b", bytes("2"))));

    assertThat(ok).isFalse();
    assertThat(store.get("/contract/b")).isEmpty();
  }

  @Test
  void txnWithoutConditionsAlwaysApplies() {
    assertThat(store.txn(List.of(), List.of(Operation.put("/contract/a", bytes("1"))))).isTrue();
    assertThat(store.txn(List.of(Condition.absent("/contract/b")), List.of())).isTrue();

    assertThat(value("/contract/a")).isEqualTo("1");
  }

  @Test
  void txnMixesPutsAndDeletes() {
    store.put("/contract/old", bytes("o"));
    store.put("/contract/keep", bytes("k"));

    boolean ok =
        store.txn(
            List.of(Condition.valueEquals("/contract/keep", bytes("k"))),
            List.of(
                Operation.delete("/contract/old"),
                Operation.put("/contract/new", bytes("n")),
                Operation.delete("/contract/never-written"),
                Operation.put("/contract/keep", bytes("k2"))));

    assertThat(ok).isTrue();
    assertThat(store.scanPrefix("/contract/", 0))
        .containsExactly(kv("/contract/keep", "k2"), kv("/contract/new", "n"));
  }

  @Test
  void txnWritingOneKeyTwiceIsRejectedAndChangesNothing() {
    assertThatThrownBy(
            () ->
                store.txn(
                    List.of(),
                    List.of(
                        Operation.put("/contract/a", bytes("1")),
                        Operation.put("/contract/b", bytes("2")),
                        Operation.delete("/contract/a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/contract/a");

    assertThat(store.scanPrefix("/contract/", 0)).isEmpty();
  }

  @Test
  void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
    String key = "/contract/counter";
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  start.await();
                  int conflicts = 0;
                  for (int i = 0; i < perThread; i++) {
                    while (!increment(key)) {
                      conflicts++;
                    }
                  }
                  return conflicts;
                }));
      }
      start.countDown();
      for (Future<Integer> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(Bytes8.decode(key, store.get(key).orElseThrow())).isEqualTo(threads * perThread);
  }

  /** One compare-and-swap attempt: read, then write value + 1 if nobody wrote in between. */
  private boolean increment(String key) {
    Optional<byte[]> current = store.get(key);
    long next = current.map(v -> Bytes8.decode(key, v)).orElse(0L) + 1;
    return store.txn(
        List.of(Condition.absentOrEquals(key, current.orElse(null))),
        List.of(Operation.put(key, Bytes8.encode(next))));
  }

  @Test
  void writesSurviveReopen() {
    store.put("/contract/d/a", bytes("1"));
    store.put("/contract/d/b", bytes("2"));
    store.delete("/contract/d/b");
    store.txn(
        List.of(Condition.absent("/contract/d/c")),
        List.of(
            Operation.put("/contract/d/c", bytes("3")),
            Operation.put("/contract/d/a", bytes("1b"))));
    IntStream.range(0, 50)
        .forEach(i -> store.put("/contract/d/n/" + PdKeys.pad(i), Bytes8.encode(i)));
    store.close();

    MetaStore again = reopen();
    assumeTrue(again != null, "this MetaStore keeps nothing across a close");
    store = again;

    assertThat(value("/contract/d/a")).isEqualTo("1b");
    assertThat(store.get("/contract/d/b")).isEmpty();
    assertThat(value("/contract/d/c")).isEqualTo("3");
    List<KeyValue> numbered = store.scanPrefix("/contract/d/n/", 0);
    assertThat(numbered).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(Bytes8.decode("n", numbered.get(i).value())).isEqualTo(i);
    }
  }

  @Test
  void callsAfterCloseThrow() {
    store.put("/contract/a", bytes("1"));
    store.close();

    assertThatThrownBy(() -> store.get("/contract/a")).isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(() -> store.scanPrefix("/contract/", 0))
        .isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(() -> store.put("/contract/b", bytes("2")))
        .isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(() -> store.delete("/contract/a")).isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(
            () ->
                store.txn(
                    List.of(Condition.absent("/contract/c")),
                    List.of(Operation.delete("/contract/a"))))
        .isInstanceOf(MetaStoreException.class);
    store.close(); // a second close is harmless
  }

  // ---- helpers ------------------------------------------------------------------------------

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  protected static KeyValue kv(String key, String value) {
    return new KeyValue(key, bytes(value));
  }

  private String value(String key) {
    return new String(
        store.get(key).orElseThrow(() -> new AssertionError("absent: " + key)), UTF_8);
  }

  private static List<String> keysOf(List<KeyValue> kvs) {
    return kvs.stream().map(KeyValue::key).toList();
  }
}
