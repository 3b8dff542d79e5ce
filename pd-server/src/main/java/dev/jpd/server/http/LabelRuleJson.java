package dev.jpd.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpd.core.label.HexRange;
import dev.jpd.core.label.LabelRule;
import dev.jpd.core.label.LabelRuleCodec;
import dev.jpd.core.label.LabelRuleException;
import dev.jpd.core.label.RegionLabel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * PD's JSON for region-label rules ({@code labeler.LabelRule}), for the HTTP API and for the meta
 * store ({@code /pd/{cluster_id}/region_label/{id}}):
 *
 * <pre>
 * {"id": "r1", "index": 1,
 *  "labels": [{"key": "schedule", "value": "deny", "ttl": "10m", "start_at": "Mon Jan  2 15:04:05 UTC 2006"}],
 *  "rule_type": "key-range",
 *  "data": [{"start_key": "7480", "end_key": ""}]}
 * </pre>
 *
 * {@code ttl} and {@code start_at} are left out when empty; unknown fields are ignored, as Go's
 * decoder does. A body of the wrong shape is a {@link LabelRuleException} naming the field.
 */
public final class LabelRuleJson implements LabelRuleCodec {
  public static final LabelRuleJson INSTANCE = new LabelRuleJson();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LabelRuleJson() {}

  @Override
  public byte[] encode(LabelRule rule) {
    try {
      return MAPPER.writeValueAsBytes(toJson(rule));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode label rule " + rule.id(), e);
    }
  }

  @Override
  public LabelRule decode(byte[] value) {
    try {
      return fromJson(MAPPER.readTree(value));
    } catch (IOException e) {
      throw new LabelRuleException("label rule is not valid JSON: " + e.getMessage());
    }
  }

  static ObjectNode toJson(LabelRule rule) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", rule.id());
    n.put("index", rule.index());
    n.set("labels", labelsJson(rule.labels()));
    n.put("rule_type", rule.ruleType());
    ArrayNode data = n.putArray("data");
    for (HexRange r : rule.data()) {
      data.addObject().put("start_key", r.startKey()).put("end_key", r.endKey());
    }
    return n;
  }

  static ArrayNode labelsJson(List<RegionLabel> labels) {
    ArrayNode out = MAPPER.createArrayNode();
    for (RegionLabel l : labels) {
      ObjectNode o = out.addObject().put("key", l.key()).put("value", l.value());
      if (!l.ttl().isEmpty()) {
        o.put("ttl", l.ttl());
      }
      if (!l.startAt().isEmpty()) {
        o.put("start_at", l.startAt());
      }
    }
    return out;
  }

  static ArrayNode rulesJson(List<LabelRule> rules) {
    ArrayNode out = MAPPER.createArrayNode();
    rules.forEach(r -> out.add(toJson(r)));
    return out;
  }

  /** A checked rule from PD's JSON. */
  static LabelRule fromJson(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new LabelRuleException("a label rule must be a JSON object, got " + n);
    }
    String id = text(n, "id", "rule");
    JsonNode idx = n.get("index");
    int index = 0;
    if (idx != null && !idx.isNull()) {
      if (!idx.isInt()) {
        throw new LabelRuleException("rule \"" + id + "\": index must be an integer, got " + idx);
      }
      index = idx.intValue();
    }
    List<RegionLabel> labels = new ArrayList<>();
    for (JsonNode l : array(n, "labels", id)) {
      if (!l.isObject()) {
        throw new LabelRuleException("rule \"" + id + "\": a label must be an object, got " + l);
      }
      labels.add(RegionLabel.of(text(l, "key", id), text(l, "value", id), text(l, "ttl", id),
          text(l, "start_at", id)));
    }
    String ruleType = text(n, "rule_type", id);
    List<HexRange> data = new ArrayList<>();
    if (LabelRule.KEY_RANGE.equals(ruleType)) {
      for (JsonNode r : array(n, "data", id)) {
        if (!r.isObject() || !textual(r, "start_key") || !textual(r, "end_key")) {
          throw new LabelRuleException("rule \"" + id
              + "\": a key range must be {\"start_key\": \"<hex>\", \"end_key\": \"<hex>\"}, got " + r);
        }
        data.add(new HexRange(r.get("start_key").asText(), r.get("end_key").asText()));
      }
    }
    return LabelRule.create(id, index, labels, ruleType, data);
  }

  private static boolean textual(JsonNode n, String field) {
    return n.get(field) != null && n.get(field).isTextual();
  }

  private static String text(JsonNode n, String field, String id) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw new LabelRuleException("rule \"" + id + "\": " + field + " must be a string, got " + v);
    }
    return v.asText();
  }

  private static List<JsonNode> array(JsonNode n, String field, String id) {
    JsonNode v = n.get(field);
    List<JsonNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new LabelRuleException("rule \"" + id + "\": " + field + " must be an array, got " + v);
    }
    v.forEach(out::add);
    return out;
  }
}
