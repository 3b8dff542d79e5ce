package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.core.label.LabelRule;
import dev.jpd.core.label.LabelRuleException;
import dev.jpd.core.label.RegionLabeler;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.server.cluster.RaftCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * Region-label rules and region labels, PD's {@code server/api/region_label.go}:
 *
 * <ul>
 *   <li>{@code GET /config/region-label/rules}: every rule ({@link LabelRuleJson})
 *   <li>{@code PATCH /config/region-label/rules {"sets": [rule...], "deletes": [id...]}}: all or
 *       nothing
 *   <li>{@code GET /config/region-label/rules/ids} with a JSON array of ids as the body (PD reads a
 *       body on GET): those rules, unknown ids skipped
 *   <li>{@code GET}/{@code DELETE /config/region-label/rule/{id}} (an id with '/' URL-encoded)
 *   <li>{@code POST /config/region-label/rule}: insert or replace one rule
 *   <li>{@code GET /region/id/{id}/labels}: {@code [{"key", "value"}]}; {@code GET
 *       /region/id/{id}/label/{key}}: the value as a JSON string ("" when unset)
 * </ul>
 *
 * A bad body, bad hex or an unsupported rule type is a 400 naming the problem, and changes
 * nothing; an unknown rule or region is a 404.
 */
public final class RegionLabelRoutes {
  private static final String V1 = "/pd/api/v1";

  private final RaftCluster cluster;
  private final RegionLabeler labeler;

  private RegionLabelRoutes(RaftCluster cluster, RegionLabeler labeler) {
    this.cluster = cluster;
    this.labeler = labeler;
  }

  public static void register(HttpApi api, RaftCluster cluster, RegionLabeler labeler) {
    RegionLabelRoutes r = new RegionLabelRoutes(cluster, labeler);
    api.get(V1 + "/config/region-label/rules", r::all)
        .add("PATCH", V1 + "/config/region-label/rules", r::patch)
        .get(V1 + "/config/region-label/rules/ids", r::byIds)
        .get(V1 + "/config/region-label/rule/{id}", r::one)
        .delete(V1 + "/config/region-label/rule/{id}", r::delete)
        .post(V1 + "/config/region-label/rule", r::set)
        .get(V1 + "/region/id/{id}/labels", r::regionLabels)
        .get(V1 + "/region/id/{id}/label/{key}", r::regionLabel);
  }

  private Object all(HttpCall c) {
    return LabelRuleJson.rulesJson(labeler.getRules());
  }

  private Object patch(HttpCall c) {
    JsonNode body = c.json();
    if (!body.isObject()) {
      throw HttpError.badRequest("want {\"sets\": [rule...], \"deletes\": [id...]}, got " + body);
    }
    List<LabelRule> sets = new ArrayList<>();
    JsonNode s = body.get("sets");
    if (s != null && !s.isNull()) {
      if (!s.isArray()) {
        throw HttpError.badRequest("sets must be an array of rules, got " + s);
      }
      for (JsonNode n : s) {
        sets.add(parse(n));
      }
    }
    List<String> deletes = ids(body.get("deletes"), "deletes");
    try {
      labeler.patch(sets, deletes);
    } catch (LabelRuleException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    return "Update region label rules successfully.";
  }

  private Object byIds(HttpCall c) {
    return LabelRuleJson.rulesJson(labeler.getRulesByIds(ids(c.json(), "the body")));
  }

  private Object one(HttpCall c) {
    String id = c.pathParam("id");
    return LabelRuleJson.toJson(labeler.getRule(id).orElseThrow(() -> notFound(id)));
  }

  private Object delete(HttpCall c) {
    String id = c.pathParam("id");
    if (!labeler.deleteRule(id)) {
      throw notFound(id);
    }
    return new HttpApi.Text("text/plain; charset=utf-8", "Delete rule successfully.");
  }

  private Object set(HttpCall c) {
    LabelRule rule = parse(c.json());
    try {
      labeler.setRule(rule);
    } catch (LabelRuleException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    return "Update region label rule successfully.";
  }

  private Object regionLabels(HttpCall c) {
    return LabelRuleJson.labelsJson(labeler.labels(region(c)));
  }

  private Object regionLabel(HttpCall c) {
    return labeler.label(region(c), c.pathParam("key"));
  }

  private RegionInfo region(HttpCall c) {
    long id = c.pathLong("id");
    RegionInfo r = cluster.regions().getRegion(id);
    if (r == null) {
      throw HttpError.notFound("region " + Long.toUnsignedString(id) + " not found");
    }
    return r;
  }

  private static LabelRule parse(JsonNode n) {
    try {
      return LabelRuleJson.fromJson(n);
    } catch (LabelRuleException e) {
      throw HttpError.badRequest(e.getMessage());
    }
  }

  private static List<String> ids(JsonNode n, String what) {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw HttpError.badRequest(what + " must be a JSON array of rule ids, got " + n);
    }
    for (JsonNode id : n) {
      if (!id.isTextual()) {
        throw HttpError.badRequest(what + " must be a JSON array of rule ids, got " + id);
      }
      out.add(id.asText());
    }
    return out;
  }

  private static HttpError notFound(String id) {
    return HttpError.notFound("region label rule \"" + id + "\" not found");
  }
}
