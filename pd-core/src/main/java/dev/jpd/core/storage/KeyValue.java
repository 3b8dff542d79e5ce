package dev.jpd.core.storage;

import java.util.Arrays;
import java.util.Objects;

/** One entry of a {@link MetaStore} scan. */
public record KeyValue(String key, byte[] value) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv && key.equals(kv.key) && Arrays.equals(value, kv.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "KeyValue[" + key + ", " + value.length + " bytes]";
  }
}
