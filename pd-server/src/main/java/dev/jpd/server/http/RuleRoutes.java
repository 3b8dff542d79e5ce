package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleBundle;
import dev.jpd.core.placement.RuleGroup;
import dev.jpd.core.placement.RuleJson;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.placement.RuleOp;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.config.LiveConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Placement rules over HTTP with PD's paths, bodies and answers ({@code server/api/rule.go}).
 *
 * <ul>
 *   <li>{@code GET /config/rules}; {@code POST /config/rules [rule…]} replaces every rule;
 *       {@code POST /config/rules/batch [{action: add|del, rule, delete_by_id_prefix}]}
 *   <li>{@code GET /config/rules/group/{group}}, {@code /config/rules/region/{region}} (the rules
 *       applying to the region), {@code /config/rules/region/{region}/detail} (its fit), {@code
 *       /config/rules/key/{hex key}}
 *   <li>{@code GET}/{@code DELETE /config/rule/{group}/{id}}, {@code POST /config/rule}
 *   <li>{@code GET}/{@code DELETE /config/rule_group/{id}}, {@code POST /config/rule_group},
 *       {@code GET /config/rule_groups}
 *   <li>{@code GET}/{@code POST /config/placement-rule[?partial=true]} (bundles: a group with its
 *       rules), {@code GET}/{@code POST}/{@code DELETE /config/placement-rule/{group}}
 * </ul>
 *
 * A bad rule or body is a 400 naming the problem and changes nothing (the manager validates the
 * whole result before it writes); an unknown rule, group or region is a 404; while {@code
 * enable-placement-rules} is off every route answers 412, as PD does. Deleting an absent rule or
 * group succeeds, as in PD.
 */
public final class RuleRoutes {
  private static final String C = "/pd/api/v1/config";

  private final RaftCluster cluster;
  private final RuleManager rules;
  private final LiveConfig config;

  private RuleRoutes(RaftCluster cluster, RuleManager rules, LiveConfig config) {
    this.cluster = cluster;
    this.rules = rules;
    this.config = config;
  }

  public static void register(HttpApi api, RaftCluster cluster, RuleManager rules,
      LiveConfig config) {
    RuleRoutes r = new RuleRoutes(cluster, rules, config);
    api.get(C + "/rules", c -> r.on(() -> arrayOf(rules.rules())))
        .post(C + "/rules", c -> r.on(() -> r.replaceAll(c)))
        .post(C + "/rules/batch", c -> r.on(() -> r.batch(c)))
        .get(C + "/rules/group/{group}", c -> r.on(() -> arrayOf(rules.rulesOfGroup(c.pathParam("group")))))
        .get(C + "/rules/region/{region}", c -> r.on(() -> arrayOf(r.regionRules(c))))
        .get(C + "/rules/region/{region}/detail", c -> r.on(() -> r.regionFit(c)))
        .get(C + "/rules/key/{key}", c -> r.on(() -> arrayOf(rules.rulesForKey(hexKey(c.pathParam("key"))))))
        .get(C + "/rule/{group}/{id}", c -> r.on(() -> r.getRule(c)))
        .delete(C + "/rule/{group}/{id}", c -> r.on(() -> r.deleteRule(c)))
        .post(C + "/rule", c -> r.on(() -> r.setRule(c)))
        .get(C + "/rule_groups", c -> r.on(() -> groupsOf(rules.groups())))
        .get(C + "/rule_group/{id}", c -> r.on(() -> r.getGroup(c)))
        .delete(C + "/rule_group/{id}", c -> r.on(() -> r.deleteGroup(c)))
        .post(C + "/rule_group", c -> r.on(() -> r.setGroup(c)))
        .get(C + "/placement-rule", c -> r.on(() -> bundlesOf(rules.bundles())))
        .post(C + "/placement-rule", c -> r.on(() -> r.setBundles(c)))
        .get(C + "/placement-rule/{group}", c -> r.on(() -> bundleJson(rules.bundle(c.pathParam("group")))))
        .post(C + "/placement-rule/{group}", c -> r.on(() -> r.setBundle(c)))
        .delete(C + "/placement-rule/{group}", c -> r.on(() -> r.deleteBundle(c)));
  }

  /** Runs a route while placement rules are on; a refused change is a 400 naming it. */
  private Object on(Supplier<Object> route) {
    if (!config.current().replication().enablePlacementRules()) {
      throw new HttpError(412, "placement rules feature is disabled");
    }
    try {
      return route.get();
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    } catch (MetaStoreException e) {
      throw new HttpError(500, "storing the rules failed, nothing changed: " + e.getMessage());
    }
  }

  // ---- rules ----

  private Object replaceAll(HttpCall c) {
    List<Rule> all = new ArrayList<>();
    for (JsonNode n : array(c)) {
      all.add(RuleJson.ruleFromJson(n));
    }
    List<RuleOp> ops = new ArrayList<>();
    for (Rule old : rules.rules()) {
      ops.add(RuleOp.delete(old.groupId(), old.id()));
    }
    all.forEach(r -> ops.add(RuleOp.add(r)));
    rules.batch(ops);
    return "Update rules successfully.";
  }

  private Object batch(HttpCall c) {
    List<RuleOp> ops = new ArrayList<>();
    for (JsonNode n : array(c)) {
      if (!n.isObject()) {
        throw new IllegalArgumentException("a batch entry must be an object, got " + n);
      }
      String action = n.path("action").asText("");
      Rule rule = RuleJson.ruleFromJson(n.get("rule"));
      boolean prefix = n.path("delete_by_id_prefix").asBoolean(false);
      switch (action) {
        case "add" -> ops.add(RuleOp.add(rule));
        case "del" -> ops.add(prefix ? RuleOp.deleteByPrefix(rule.groupId(), rule.id())
            : RuleOp.delete(rule.groupId(), rule.id()));
        default -> throw new IllegalArgumentException(
            "unknown action \"" + action + "\": want add or del");
      }
    }
    rules.batch(ops);
    return "Batch operations successfully.";
  }

  private Object getRule(HttpCall c) {
    Rule r = rules.rule(c.pathParam("group"), c.pathParam("id"));
    if (r == null) {
      throw HttpError.notFound("rule " + c.pathParam("group") + "/" + c.pathParam("id") + " not found");
    }
    return RuleJson.toJson(r);
  }

  private Object deleteRule(HttpCall c) {
    rules.deleteRule(c.pathParam("group"), c.pathParam("id"));
    return "Delete rule successfully.";
  }

  private Object setRule(HttpCall c) {
    rules.setRule(RuleJson.ruleFromJson(c.json()));
    return "Update rule successfully.";
  }

  private RegionInfo region(HttpCall c) {
    long id = c.pathLong("region");
    RegionInfo r = cluster.regions().getRegion(id);
    if (r == null) {
      throw HttpError.notFound("region " + id + " not found");
    }
    return r;
  }

  private List<Rule> regionRules(HttpCall c) {
    RegionInfo r = region(c);
    return rules.rulesForRange(r.startKey().toByteArray(), r.endKey().toByteArray());
  }

  private Object regionFit(HttpCall c) {
    RegionInfo region = region(c);
    List<RegionFit.FitPeer> peers = new ArrayList<>();
    long leader = region.hasLeader() ? region.leader().getId() : 0;
    for (Metapb.Peer p : region.peers()) {
      peers.add(new RegionFit.FitPeer(p.getId(), p.getStoreId(),
          p.getRole() == Metapb.PeerRole.Learner, p.getId() == leader));
    }
    Map<Long, Map<String, String>> labels = new HashMap<>();
    for (StoreInfo s : cluster.stores().all()) {
      Map<String, String> m = new HashMap<>();
      s.meta().getLabelsList().forEach(l -> m.put(l.getKey(), l.getValue()));
      labels.put(s.id(), m);
    }
    RegionFit fit = RegionFit.fit(peers,
        labels, rules.rulesForRange(region.startKey().toByteArray(), region.endKey().toByteArray()));
    ObjectNode out = HttpApi.JSON.createObjectNode();
    ArrayNode fits = out.putArray("rule_fits");
    for (RegionFit.RuleFit f : fit.ruleFits()) {
      ObjectNode o = fits.addObject();
      o.set("rule", RuleJson.toJson(f.rule()));
      o.set("peers", peersJson(f.peers()));
      o.set("peers_with_different_role", peersJson(f.peersWithDifferentRole()));
      o.put("isolation_score", f.isolationScore());
      o.put("satisfied", f.satisfied());
    }
    out.set("orphan_peers", peersJson(fit.orphanPeers()));
    out.put("satisfied", fit.satisfied());
    return out;
  }

  private static ArrayNode peersJson(List<RegionFit.FitPeer> peers) {
    ArrayNode a = HttpApi.JSON.createArrayNode();
    for (RegionFit.FitPeer p : peers) {
      ObjectNode o = a.addObject();
      o.put("id", p.peerId());
      o.put("store_id", p.storeId());
      o.put("role_name", p.learner() ? "Learner" : "Voter");
      o.put("is_leader", p.leader());
    }
    return a;
  }

  // ---- groups ----

  private Object getGroup(HttpCall c) {
    RuleGroup g = rules.group(c.pathParam("id"));
    if (g == null) {
      throw HttpError.notFound("rule group " + c.pathParam("id") + " not found");
    }
    return RuleJson.toJson(g);
  }

  private Object deleteGroup(HttpCall c) {
    rules.deleteGroup(c.pathParam("id"));
    return "Delete rule group successfully.";
  }

  private Object setGroup(HttpCall c) {
    rules.setGroup(RuleJson.groupFromJson(c.json()));
    return "Update rule group successfully.";
  }

  // ---- bundles ----

  private Object setBundles(HttpCall c) {
    boolean partial = "true".equalsIgnoreCase(c.query("partial"));
    List<RuleBundle> bundles = new ArrayList<>();
    for (JsonNode n : array(c)) {
      bundles.add(bundleFromJson(n, null));
    }
    rules.setBundles(bundles, partial);
    return "Update rules and groups successfully.";
  }

  private Object setBundle(HttpCall c) {
    rules.setBundles(List.of(bundleFromJson(c.json(), c.pathParam("group"))), true);
    return "Update group and rules successfully.";
  }

  private Object deleteBundle(HttpCall c) {
    rules.deleteBundle(c.pathParam("group"));
    return "Delete group and rules successfully.";
  }

  /** PD's GroupBundle: {@code {group_id, group_index, group_override, rules: [...]}}. */
  private static RuleBundle bundleFromJson(JsonNode n, String pathGroup) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a rule bundle must be a JSON object");
    }
    String id = n.path("group_id").asText("");
    if (pathGroup != null) {
      if (!id.isEmpty() && !id.equals(pathGroup)) {
        throw new IllegalArgumentException("group_id \"" + id + "\" does not match the path's \""
            + pathGroup + "\"");
      }
      id = pathGroup;
    }
    RuleGroup g = new RuleGroup(id, n.path("group_index").asInt(0),
        n.path("group_override").asBoolean(false));
    List<Rule> list = new ArrayList<>();
    JsonNode rs = n.get("rules");
    if (rs != null && !rs.isNull()) {
      if (!rs.isArray()) {
        throw new IllegalArgumentException("rules must be an array");
      }
      for (JsonNode r : rs) {
        list.add(RuleJson.ruleFromJson(r));
      }
    }
    return new RuleBundle(g, list);
  }

  private static ObjectNode bundleJson(RuleBundle b) {
    ObjectNode o = HttpApi.JSON.createObjectNode();
    o.put("group_id", b.group().id());
    o.put("group_index", b.group().index());
    o.put("group_override", b.group().override());
    o.set("rules", arrayOf(b.rules()));
    return o;
  }

  private static ArrayNode bundlesOf(List<RuleBundle> bundles) {
    ArrayNode a = HttpApi.JSON.createArrayNode();
    bundles.forEach(b -> a.add(bundleJson(b)));
    return a;
  }

  // ---- JSON helpers ----

  private static ArrayNode arrayOf(List<Rule> list) {
    ArrayNode a = HttpApi.JSON.createArrayNode();
    list.forEach(r -> a.add(RuleJson.toJson(r)));
    return a;
  }

  private static ArrayNode groupsOf(List<RuleGroup> list) {
    ArrayNode a = HttpApi.JSON.createArrayNode();
    list.forEach(g -> a.add(RuleJson.toJson(g)));
    return a;
  }

  private static JsonNode array(HttpCall c) {
    JsonNode n = c.json();
    if (!n.isArray()) {
      throw new IllegalArgumentException("want a JSON array, got " + n.getNodeType());
    }
    return n;
  }

  private static byte[] hexKey(String key) {
    try {
      return HexFormat.of().parseHex(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key should be in hex format: \"" + key + "\"");
    }
  }
}
