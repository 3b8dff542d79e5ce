package dev.jpd.server.config;

import dev.jpd.core.time.GoDuration;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a config section as a map, in one of two shapes. {@link Shape#TOML} is what we read back
 * (durations as Go strings, lists as arrays). {@link Shape#PD_JSON} is what PD's
 * {@code /pd/api/v1/config} answers: the same kebab-case keys, but the booleans PD tags
 * {@code json:",string"} written as {@code "true"}/{@code "false"}, string slices
 * ({@code location-labels}) as one comma-joined string, byte sizes as {@code "8GiB"}, and a few
 * keys renamed ({@code schedulers-v2}, {@code auto-compaction-retention-v2}).
 */
final class ConfigWriter {

  /** Which document the map is for. */
  enum Shape {
    TOML,
    PD_JSON
  }

  private final Shape shape;
  private final Map<String, Object> map = new LinkedHashMap<>();

  ConfigWriter(Shape shape) {
    this.shape = shape;
  }

  Shape shape() {
    return shape;
  }

  /** A string, number, boolean, list or map, the same in both shapes. */
  ConfigWriter put(String key, Object value) {
    map.put(key, value);
    return this;
  }

  /** A key that PD's JSON spells differently from its TOML. */
  ConfigWriter put(String tomlKey, String jsonKey, Object value) {
    map.put(shape == Shape.TOML ? tomlKey : jsonKey, value);
    return this;
  }

  ConfigWriter duration(String key, Duration value) {
    map.put(key, GoDuration.format(value));
    return this;
  }

  /** A boolean that PD's JSON writes as a string ({@code json:",string"}). */
  ConfigWriter stringBool(String key, boolean value) {
    map.put(key, shape == Shape.TOML ? (Object) value : Boolean.toString(value));
    return this;
  }

  /** PD's {@code StringSlice}: an array in TOML, one comma-joined string in JSON. */
  ConfigWriter stringSlice(String key, List<String> value) {
    map.put(key, shape == Shape.TOML ? value : String.join(",", value));
    return this;
  }

  /** PD's {@code ByteSize}: a number of bytes in TOML, {@code "8GiB"} in JSON. */
  ConfigWriter byteSize(String key, long bytes) {
    map.put(key, shape == Shape.TOML ? (Object) bytes : ByteSizes.format(bytes));
    return this;
  }

  /** The map written so far, unmodifiable. */
  Map<String, Object> toMap() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
