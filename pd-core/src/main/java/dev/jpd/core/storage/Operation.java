package dev.jpd.core.storage;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A write inside a {@link MetaStore#txn} transaction. */
public sealed interface Operation {

  String key();

  record Put(String key, byte[] value) implements Operation {
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Put p && key.equals(p.key) && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
      return 31 * key.hashCode() + Arrays.hashCode(value);
    }
  }

  record Delete(String key) implements Operation {
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  static Operation put(String key, byte[] value) {
    return new Put(key, value);
  }

  static Operation delete(String key) {
    return new Delete(key);
  }

  /**
   * Fails when a key appears twice among {@code operations}. etcd refuses a transaction that
   * writes one key twice ("duplicate key given in txn request"), so every {@link MetaStore}
   * refuses it up front, and code tested on one implementation behaves the same on the others.
   */
  static void requireDistinctKeys(List<Operation> operations) {
    Set<String> seen = new HashSet<>();
    for (Operation op : operations) {
      if (!seen.add(op.key())) {
        throw new IllegalArgumentException(
            "txn writes key " + op.key() + " twice; write each key at most once per txn");
      }
    }
  }
}
