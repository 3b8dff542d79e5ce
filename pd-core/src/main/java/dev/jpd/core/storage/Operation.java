package dev.jpd.core.storage;

import java.util.Arrays;
import java.util.Objects;

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
}
