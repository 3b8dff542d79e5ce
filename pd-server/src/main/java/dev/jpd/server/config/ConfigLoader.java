package dev.jpd.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a TOML file and command-line settings into a {@link PdConfig}: Jackson's TOML module
 * parses the file into a tree, flags are written over the tree (so they win), and
 * {@link PdConfig#read} reads the tree key by key and rejects keys nobody asked for.
 */
final class ConfigLoader {

  private static final TomlMapper TOML = new TomlMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigLoader() {}

  static PdConfig load(Path file, List<PdFlags.Setting> settings) {
    ObjectNode document = file == null ? JsonNodeFactory.instance.objectNode() : readFile(file);
    Map<String, String> flagByKey = new LinkedHashMap<>();
    for (PdFlags.Setting s : settings) {
      set(document, s.key(), s.bool() ? BooleanNode.valueOf(Boolean.parseBoolean(s.value()))
          : TextNode.valueOf(s.value()));
      flagByKey.put(s.key(), s.flag());
    }
    String name = file == null ? null : file.toString();
    return read(ConfigReader.root(document, new ConfigReader.Source(name, flagByKey)));
  }

  static PdConfig parse(String toml, String sourceName) {
    return read(ConfigReader.root(parseToml(toml, sourceName),
        new ConfigReader.Source(sourceName, Map.of())));
  }

  static PdConfig read(ConfigReader reader) {
    PdConfig config = PdConfig.read(reader);
    reader.checkNoUnknownKeys();
    return config;
  }

  static String toToml(Map<String, Object> map) {
    try {
      return TOML.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write config as TOML", e);
    }
  }

  static String toJson(Map<String, Object> map) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write config as JSON", e);
    }
  }

  private static ObjectNode readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return parseToml(text, file.toString());
  }

  private static ObjectNode parseToml(String text, String sourceName) {
    JsonNode tree;
    try {
      tree = TOML.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(
          "cannot parse " + sourceName + " as TOML" + where + ": " + e.getOriginalMessage(), e);
    }
    return tree instanceof ObjectNode ? (ObjectNode) tree : JsonNodeFactory.instance.objectNode();
  }

  /** Sets a dotted key, making (or replacing non-table values by) the tables on the way. */
  private static void set(ObjectNode document, String dottedKey, JsonNode value) {
    String[] parts = dottedKey.split("\\.");
    ObjectNode table = document;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = table.get(parts[i]);
      if (!(next instanceof ObjectNode)) {
        next = table.putObject(parts[i]);
      }
      table = (ObjectNode) next;
    }
    table.set(parts[parts.length - 1], value);
  }
}
