package dev.jpd.core.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-memory {@link MetaStore}: the reference semantics of the contract, for unit tests and
 * for fast in-process clusters. Nothing survives the process. One lock makes transactions
 * atomic; metadata traffic is small, so that is no bottleneck.
 */
public final class MemoryMetaStore implements MetaStore {
  /** Keys order as etcd orders them: by their UTF-8 bytes, unsigned. */
  static final Comparator<String> KEY_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final TreeMap<String, byte[]> data = new TreeMap<>(KEY_ORDER);
  private boolean closed;

  @Override
  public synchronized Optional<byte[]> get(String key) {
    checkOpen();
    byte[] v = data.get(key);
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  @Override
  public synchronized List<KeyValue> scanPrefix(String prefix, int limit) {
    checkOpen();
    List<KeyValue> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : data.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix) || (limit > 0 && out.size() >= limit)) {
        break;
      }
      out.add(new KeyValue(e.getKey(), e.getValue().clone()));
    }
    return out;
  }

  @Override
  public synchronized void put(String key, byte[] value) {
    checkOpen();
    data.put(key, value.clone());
  }

  @Override
  public synchronized void delete(String key) {
    checkOpen();
    data.remove(key);
  }

  @Override
  public synchronized boolean txn(List<Condition> conditions, List<Operation> operations) {
    checkOpen();
    Operation.requireDistinctKeys(operations);
    for (Condition c : conditions) {
      if (!holds(c, data.get(c.key()))) {
        return false;
      }
    }
    for (Operation op : operations) {
      if (op instanceof Operation.Put p) {
        data.put(p.key(), p.value().clone());
      } else {
        data.remove(op.key());
      }
    }
    return true;
  }

  /** Whether {@code condition} holds given the current value of its key (null when absent). */
  public static boolean holds(Condition condition, byte[] current) {
    if (condition instanceof Condition.Absent) {
      return current == null;
    }
    return current != null && Arrays.equals(((Condition.ValueEquals) condition).value(), current);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new MetaStoreException("meta store is closed");
    }
  }
}
