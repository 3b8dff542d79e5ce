package dev.jpd.core.placement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules and groups in PD's JSON spelling ({@code group_id}, {@code start_key}, ...), for storage
 * and the HTTP API. Parsing is strict about types and names the field that is wrong.
 */
public final class RuleJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RuleJson() {}

  /** The rule as a PD JSON object. */
  public static ObjectNode toJson(Rule r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("group_id", r.groupId());
    o.put("id", r.id());
    o.put("index", r.index());
    o.put("override", r.override());
    o.put("start_key", r.startKeyHex());
    o.put("end_key", r.endKeyHex());
    o.put("role", r.role());
    o.put("is_witness", r.isWitness());
    o.put("count", r.count());
    ArrayNode lcs = o.putArray("label_constraints");
    for (LabelConstraint c : r.labelConstraints()) {
      ObjectNode lc = lcs.addObject();
      lc.put("key", c.key());
      lc.put("op", c.op());
      ArrayNode vs = lc.putArray("values");
      c.values().forEach(vs::add);
    }
    ArrayNode ll = o.putArray("location_labels");
    r.locationLabels().forEach(ll::add);
    o.put("isolation_level", r.isolationLevel());
    o.put("version", r.version());
    o.put("create_timestamp", r.createTimestamp());
    return o;
  }

  /** A rule from PD JSON; throws {@link IllegalArgumentException} naming a bad field. */
  public static Rule ruleFromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("a rule must be a JSON object");
    }
    List<LabelConstraint> lcs = new ArrayList<>();
    JsonNode arr = o.get("label_constraints");
    if (arr != null && !arr.isNull()) {
      if (!arr.isArray()) {
        throw new IllegalArgumentException("label_constraints must be an array");
      }
      for (JsonNode lc : arr) {
        lcs.add(new LabelConstraint(text(lc, "key"), text(lc, "op"), strings(lc, "values")));
      }
    }
    return new Rule(text(o, "group_id"), text(o, "id"), (int) num(o, "index"),
        bool(o, "override"), text(o, "start_key"), text(o, "end_key"), text(o, "role"),
        bool(o, "is_witness"), (int) num(o, "count"), lcs, strings(o, "location_labels"),
        text(o, "isolation_level"), num(o, "version"), num(o, "create_timestamp"));
  }

  public static ObjectNode toJson(RuleGroup g) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", g.id());
    o.put("index", g.index());
    o.put("override", g.override());
    return o;
  }

  public static RuleGroup groupFromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("a rule group must be a JSON object");
    }
    return new RuleGroup(text(o, "id"), (int) num(o, "index"), bool(o, "override"));
  }

  static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses JSON bytes; throws {@link IllegalArgumentException} when malformed. */
  public static JsonNode parse(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage());
    }
  }

  private static String text(JsonNode o, String f) {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(f + " must be a string, got " + n);
    }
    return n.asText();
  }

  private static long num(JsonNode o, String f) {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isIntegralNumber()) {
      throw new IllegalArgumentException(f + " must be an integer, got " + n);
    }
    return n.asLong();
  }

  private static boolean bool(JsonNode o, String f) {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(f + " must be true or false, got " + n);
    }
    return n.asBoolean();
  }

  private static List<String> strings(JsonNode o, String f) {
    JsonNode n = o.get(f);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(f + " must be an array of strings, got " + n);
    }
    for (JsonNode v : n) {
      if (!v.isTextual()) {
        throw new IllegalArgumentException(f + " must hold strings, got " + v);
      }
      out.add(v.asText());
    }
    return out;
  }
}
