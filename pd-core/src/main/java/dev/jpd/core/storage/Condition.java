package dev.jpd.core.storage;

import java.util.Arrays;
import java.util.Objects;

/** A condition of a {@link MetaStore#txn} transaction. */
public sealed interface Condition {

  String key();

  /** Holds when {@code key} is absent (etcd: {@code CreateRevision(key) == 0}). */
  record Absent(String key) implements Condition {
    public Absent {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Holds when {@code key} is present with exactly this value. */
  record ValueEquals(String key, byte[] value) implements Condition {
    public ValueEquals {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ValueEquals v && key.equals(v.key) && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
      return 31 * key.hashCode() + Arrays.hashCode(value);
    }
  }

  static Condition absent(String key) {
    return new Absent(key);
  }

  static Condition valueEquals(String key, byte[] value) {
    return new ValueEquals(key, value);
  }

  /** {@code key} is absent when {@code expected} is null, else holds exactly {@code expected}. */
  static Condition absentOrEquals(String key, byte[] expected) {
    return expected == null ? absent(key) : valueEquals(key, expected);
  }
}
