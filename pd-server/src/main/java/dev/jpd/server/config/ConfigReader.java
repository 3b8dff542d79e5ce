package dev.jpd.server.config;

import dev.jpd.core.time.GoDuration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one table of a parsed TOML document, key by key, each with its default. Every key asked
 * for is remembered, so that {@link #checkNoUnknownKeys} can then reject what nobody asked for —
 * Jackson's FAIL_ON_UNKNOWN_PROPERTIES, done by hand so that the message names the key with its
 * section and suggests the nearest known key.
 *
 * <p>Errors name the full key ({@code schedule.max-store-down-time}), the value as written, and
 * where it came from: the file, or the command-line flag that set it.
 */
final class ConfigReader {

  /** Where values came from: a file (or none), and which keys were set by command-line flags. */
  record Source(String file, Map<String, String> flagByKey) {

    static final Source NONE = new Source(null, Map.of());

    String describe(String path) {
      String flag = flagByKey.get(path);
      if (flag != null) {
        return " (from flag " + flag + ")";
      }
      return file == null ? "" : " in " + file;
    }
  }

  private final ObjectNode node;
  private final String prefix;
  private final Source source;
  private final List<String> warnings;
  private final Set<String> asked = new LinkedHashSet<>();
  private final List<ConfigReader> children = new ArrayList<>();

  private ConfigReader(ObjectNode node, String prefix, Source source, List<String> warnings) {
    this.node = node;
    this.prefix = prefix;
    this.source = source;
    this.warnings = warnings;
  }

  /** A reader over a whole document. */
  static ConfigReader root(ObjectNode document, Source source) {
    return new ConfigReader(document, "", source, new ArrayList<>());
  }

  /** A reader over nothing: every key gets its default. */
  static ConfigReader empty() {
    return root(JsonNodeFactory.instance.objectNode(), Source.NONE);
  }

  /** The dotted name of {@code key} in this table, e.g. {@code schedule.max-store-down-time}. */
  String path(String key) {
    return prefix + key;
  }

  /** Notes something the operator should hear about but that does not stop loading. */
  void warn(String message) {
    warnings.add(message);
  }

  /** The warnings noted so far by this reader and every reader of its sub-tables. */
  List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Accepts a deprecated boolean key PD ignores, with a warning when it is written. */
  void ignoredBool(String key) {
    if (has(key)) {
      bool(key, false);
      warn("config key " + where(key) + " is deprecated and ignored");
    }
  }

  /** True if {@code key} is written in this table. */
  boolean has(String key) {
    asked.add(key);
    return node.has(key);
  }

  String string(String key, String defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isTextual()) {
      throw invalid(key, v, "expected a string");
    }
    return v.textValue();
  }

  /** Like {@link #string}, but an empty string also means "use the default", as in PD. */
  String nonEmptyString(String key, String defaultValue) {
    String s = string(key, defaultValue);
    return s.isEmpty() ? defaultValue : s;
  }

  boolean bool(String key, boolean defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isBoolean()) {
      throw invalid(key, v, "expected true or false");
    }
    return v.booleanValue();
  }

  /** A whole number, of any sign. */
  long integer(String key, long defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isIntegralNumber()) {
      throw invalid(key, v, "expected a whole number");
    }
    if (!v.canConvertToLong()) {
      throw invalid(key, v, "out of range");
    }
    return v.longValue();
  }

  /** A whole number ≥ 0: PD's {@code uint64} settings. */
  long uint(String key, long defaultValue) {
    JsonNode v = value(key);
    long n = integer(key, defaultValue);
    if (n < 0) {
      throw invalid(key, v, "expected a whole number ≥ 0");
    }
    return n;
  }

  /** A finite number, whole or not. */
  double number(String key, double defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw invalid(key, v, "expected a number");
    }
    return v.doubleValue();
  }

  /** A Go-style duration string such as {@code "30m"}; see {@link GoDuration}. */
  Duration duration(String key, Duration defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isTextual()) {
      throw new ConfigException("invalid duration " + v + " for " + where(key)
          + ": write a quoted string with a unit, e.g. \"30m\", \"1h\", \"10ms\"");
    }
    try {
      return GoDuration.parse(v.textValue());
    } catch (IllegalArgumentException e) {
      String why = e.getMessage().substring(e.getMessage().indexOf("\": ") + 3);
      throw new ConfigException("invalid duration " + v + " for " + where(key) + ": " + why);
    }
  }

  /** A duration that must be {@code > 0}. */
  Duration positiveDuration(String key, Duration defaultValue) {
    Duration d = duration(key, defaultValue);
    if (d.isNegative() || d.isZero()) {
      throw invalid(key, GoDuration.format(d), "must be a positive duration");
    }
    return d;
  }

  /** A duration that must be {@code >= 0}. */
  Duration nonNegativeDuration(String key, Duration defaultValue) {
    Duration d = duration(key, defaultValue);
    if (d.isNegative()) {
      throw invalid(key, GoDuration.format(d), "must not be negative");
    }
    return d;
  }

  /** A string out of {@code allowed}. */
  String choice(String key, String defaultValue, String... allowed) {
    String s = nonEmptyString(key, defaultValue);
    if (!List.of(allowed).contains(s)) {
      throw invalid(key, s, "must be one of " + String.join(", ", allowed));
    }
    return s;
  }

  /** A byte size: a number of bytes, or a string such as {@code "8GiB"}; see {@link ByteSizes}. */
  long byteSize(String key, long defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    if (v.isTextual()) {
      try {
        return ByteSizes.parse(v.textValue());
      } catch (IllegalArgumentException e) {
        throw invalid(key, v, e.getMessage());
      }
    }
    return uint(key, defaultValue);
  }

  /**
   * A list of strings, written as a TOML array or, as PD writes URL lists and its JSON writes
   * string slices, as one comma-separated string. An empty string is an empty list.
   */
  List<String> stringList(String key, List<String> defaultValue) {
    JsonNode v = value(key);
    if (v == null) {
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    if (v.isTextual()) {
      for (String part : v.textValue().split(",", -1)) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return List.copyOf(out);
    }
    if (!v.isArray()) {
      throw invalid(key, v, "expected an array of strings, e.g. [\"a\", \"b\"]");
    }
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw invalid(key, v, "expected an array of strings, e.g. [\"a\", \"b\"]");
      }
      out.add(item.textValue());
    }
    return List.copyOf(out);
  }

  /** A table of string values, kept in file order. */
  Map<String, String> stringMap(String key) {
    ConfigReader table = section(key);
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<String> it = table.node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      out.put(name, table.string(name, ""));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * A table accepted and kept as it is, not looked into: PD sections we do not act on yet.
   * Values become plain Java values (maps, lists, strings, numbers, booleans).
   */
  Map<String, Object> opaque(String key) {
    JsonNode v = value(key);
    if (v == null) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw invalid(key, v, "expected a table");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) PlainValues.of(v);
    return plain;
  }

  /** The sub-table {@code key}; an absent one reads as empty. */
  ConfigReader section(String key) {
    JsonNode v = value(key);
    if (v != null && !v.isObject()) {
      throw invalid(key, v, "expected a table ([" + path(key) + "])");
    }
    ObjectNode table = v == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) v;
    return child(table, path(key) + ".");
  }

  /** An array of tables ({@code [[schedule.schedulers]]}), or null when absent. */
  List<ConfigReader> sectionList(String key) {
    JsonNode v = value(key);
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      throw invalid(key, v, "expected an array of tables ([[" + path(key) + "]])");
    }
    List<ConfigReader> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isObject()) {
        throw invalid(key, v, "expected an array of tables ([[" + path(key) + "]])");
      }
      out.add(child((ObjectNode) v.get(i), path(key) + "[" + i + "]."));
    }
    return out;
  }

  /** A table of tables keyed by name ({@code [schedule.store-limit.1]}), in file order. */
  Map<String, ConfigReader> sectionMap(String key) {
    ConfigReader table = section(key);
    List<String> names = new ArrayList<>();
    table.node.fieldNames().forEachRemaining(names::add);
    Map<String, ConfigReader> out = new LinkedHashMap<>();
    for (String name : names) {
      out.put(name, table.section(name));
    }
    return out;
  }

  /** An error about {@code key} whose value {@code value} is unusable because {@code why}. */
  ConfigException invalid(String key, Object value, String why) {
    String shown = value instanceof JsonNode || value instanceof Number || value instanceof Boolean
        ? String.valueOf(value)
        : "\"" + value + "\"";
    return new ConfigException("invalid value " + shown + " for " + where(key) + ": " + why);
  }

  /** {@code schedule.max-store-down-time in pd.toml}, or {@code ... (from flag --x)}. */
  String where(String key) {
    return path(key) + source.describe(path(key));
  }

  /**
   * Fails on the first key written in the document that no reader asked for, naming it with its
   * section and, when one is close, the known key it was probably meant to be.
   */
  void checkNoUnknownKeys() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!asked.contains(key)) {
        String hint = closest(key, asked);
        throw new ConfigException("unknown config key " + path(key) + source.describe(path(key))
            + (hint == null ? "" : " (did you mean " + path(hint) + "?)"));
      }
    }
    for (ConfigReader child : children) {
      child.checkNoUnknownKeys();
    }
  }

  private JsonNode value(String key) {
    asked.add(key);
    return node.get(key);
  }

  private ConfigReader child(ObjectNode table, String childPrefix) {
    ConfigReader reader = new ConfigReader(table, childPrefix, source, warnings);
    children.add(reader);
    return reader;
  }

  /** The candidate within a few typos of {@code key}, or null. */
  static String closest(String key, Set<String> candidates) {
    String best = null;
    int bestDistance = Math.max(2, key.length() / 4) + 1;
    for (String candidate : candidates) {
      int d = editDistance(key, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
