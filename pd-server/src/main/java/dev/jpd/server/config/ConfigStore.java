package dev.jpd.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpd.core.storage.MetaStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-time side of the configuration: changes to {@code [schedule]} and {@code [replication]}
 * through the HTTP API, persisted in the MetaStore and applied live.
 *
 * <p><b>Setting.</b> {@link #set} takes PD's {@code POST /config} body, {@code {key: value}} with
 * bare keys ({@code max-replicas}) or dotted ones ({@code schedule.max-merge-region-size}). The
 * new values are laid over the current config as a document and the whole document is read again
 * by the same readers as the TOML file, so one set of rules validates both. All keys apply or
 * none does (PD applies them one by one and may stop half-way). Values come as PD's JSON writes
 * them: booleans may be the strings {@code "true"}/{@code "false"} (pd-ctl sends them so), lists
 * a comma-separated string, durations Go strings. Order: validate, write the MetaStore, then
 * {@link LiveConfig#set}; a failed write leaves the live config as it was.
 *
 * <p><b>Persisted form.</b> {@code /pd/{cid}/config} holds {@code {"schedule": {...},
 * "replication": {...}}} in PD's JSON shape ({@link PdConfig#toMap()}), like PD's persisted
 * options; the sections are stored whole. At start {@link #loadPersisted} lays them over the
 * file's config: once anything was set through the API, every schedule and replication key comes
 * from the store and the file's values for them are ignored, as in PD (the file only seeds a new
 * cluster). Other sections always come from the file.
 */
public final class ConfigStore {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Sections that can change at run time, and their TOML names. */
  static final List<String> SECTIONS = List.of("schedule", "replication");

  private final MetaStore meta;
  private final String key;
  private final LiveConfig live;

  /**
   * @param key where the persisted options live ({@code PdKeys.config()})
   */
  public ConfigStore(MetaStore meta, String key, LiveConfig live) {
    this.meta = meta;
    this.key = key;
    this.live = live;
  }

  public LiveConfig live() {
    return live;
  }

  /**
   * The file's config with the persisted schedule and replication sections laid over it.
   *
   * @throws ConfigException if the persisted value is not valid, naming the key in the store
   */
  public static PdConfig loadPersisted(MetaStore meta, String key, PdConfig fromFile) {
    byte[] raw = meta.get(key).orElse(null);
    if (raw == null) {
      return fromFile;
    }
    JsonNode stored;
    try {
      stored = JSON.readTree(raw);
    } catch (IOException e) {
      throw new ConfigException("persisted config under " + key + " is not JSON: " + e.getMessage());
    }
    if (!(stored instanceof ObjectNode obj)) {
      throw new ConfigException("persisted config under " + key + " is not a JSON object");
    }
    Map<String, JsonNode> items = new LinkedHashMap<>();
    for (String section : SECTIONS) {
      JsonNode s = obj.get(section);
      if (s != null && s.isObject()) {
        s.fields().forEachRemaining(e -> items.put(section + "." + e.getKey(), e.getValue()));
      }
    }
    try {
      PdConfig merged = apply(fromFile, items, key);
      LOG.info("config loaded from storage key={} sections={}", key, SECTIONS);
      return merged;
    } catch (ConfigException e) {
      throw new ConfigException("persisted config under " + key + " is invalid: " + e.getMessage()
          + "; fix it with POST /pd/api/v1/config or delete the key");
    }
  }

  /**
   * Validates {@code items} against the current config, persists the result, then applies it.
   *
   * @return the config now in force
   * @throws ConfigException naming the first unknown key or bad value; nothing changed then
   */
  public synchronized PdConfig set(Map<String, JsonNode> items) {
    if (items.isEmpty()) {
      throw new ConfigException("no config item given: send {\"key\": value, ...}");
    }
    PdConfig next = apply(live.current(), items, "the request");
    Map<String, Object> persisted = new LinkedHashMap<>();
    Map<String, Object> all = next.toMap();
    for (String section : SECTIONS) {
      persisted.put(section, all.get(section));
    }
    try {
      meta.put(key, JSON.writeValueAsBytes(persisted));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write config as JSON", e);
    }
    live.set(next);
    LOG.info("config updated items={}", items);
    return next;
  }

  /** {@code current} with {@code items} laid over it, read and validated as a whole document. */
  static PdConfig apply(PdConfig current, Map<String, JsonNode> items, String origin) {
    ObjectNode document = JSON.valueToTree(current.toMap(ConfigWriter.Shape.TOML));
    for (Map.Entry<String, JsonNode> e : items.entrySet()) {
      String[] path = resolve(document, e.getKey());
      ObjectNode section = (ObjectNode) document.get(path[0]);
      // PD's JSON calls the scheduler list schedulers-v2; the TOML, schedulers.
      String name = path[1].equals("schedulers-v2") ? "schedulers" : path[1];
      section.set(name, coerce(section.get(name), e.getValue()));
    }
    ConfigReader.Source source = new ConfigReader.Source(origin, Map.of());
    return ConfigLoader.read(ConfigReader.root(document, source));
  }

  /** {@code [section, key]} for a bare or dotted key; only run-time sections are accepted. */
  private static String[] resolve(ObjectNode document, String item) {
    int dot = item.indexOf('.');
    if (dot >= 0) {
      String section = item.substring(0, dot);
      String name = item.substring(dot + 1);
      if (section.equals("replicate")) {
        section = "replication";
      }
      if (!SECTIONS.contains(section) || name.isEmpty()) {
        throw new ConfigException("config item " + item + " cannot be set at run time: only "
            + "schedule.* and replication.* keys can (others come from the config file)");
      }
      return new String[] {section, name};
    }
    String found = null;
    for (String section : SECTIONS) {
      if (document.get(section).has(item.equals("schedulers-v2") ? "schedulers" : item)) {
        found = section;
      }
    }
    if (found == null) {
      throw new ConfigException("config item " + item + " not found: not a schedule or "
          + "replication key" + hint(document, item));
    }
    return new String[] {found, item};
  }

  private static String hint(ObjectNode document, String item) {
    Set<String> names = new LinkedHashSet<>();
    for (String section : SECTIONS) {
      for (Iterator<String> it = document.get(section).fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
    }
    String close = ConfigReader.closest(item, names);
    return close == null ? "" : " (did you mean " + close + "?)";
  }

  /**
   * PD's JSON spellings turned into what the TOML readers expect: {@code "true"} for a boolean
   * key, a whole number written as {@code 5.0}. Anything else goes to the readers unchanged.
   */
  private static JsonNode coerce(JsonNode current, JsonNode given) {
    if (current == null || given == null) {
      return given;
    }
    if (current.isBoolean() && given.isTextual()
        && (given.textValue().equals("true") || given.textValue().equals("false"))) {
      return BooleanNode.valueOf(Boolean.parseBoolean(given.textValue()));
    }
    if (current.isIntegralNumber() && given.isFloatingPointNumber()
        && given.doubleValue() == Math.rint(given.doubleValue())
        && Math.abs(given.doubleValue()) < 0x1p53) {
      return LongNode.valueOf((long) given.doubleValue());
    }
    return given;
  }
}
