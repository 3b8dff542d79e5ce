package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.config.ConfigException;
import dev.jpd.server.config.ConfigStore;
import dev.jpd.server.config.ScheduleConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Store limits as PD's v1 API shows and sets them: per store, how many add-peer and remove-peer
 * operations a minute it takes. They live in {@code [schedule] store-limit} (and
 * {@code default-store-limit} for stores without an entry), changed through the run-time config,
 * so a change is validated, persisted and live at once.
 *
 * <ul>
 *   <li>{@code GET /stores/limit[?include_tombstone=true]}: {@code {"<id>": {"add-peer": r,
 *       "remove-peer": r}}}
 *   <li>{@code POST /stores/limit {"rate": r, "type"?: "add-peer"|"remove-peer", "labels"?:
 *       {k: v}}}: every store (matching the labels) and, without labels, the default for stores
 *       yet to come
 *   <li>{@code POST /store/{id}/limit {"rate": r, "type"?}}
 * </ul>
 *
 * The operator controller reads the rates from the live config on every decision
 * ({@code OperatorWiring}), so a change here applies to the next operator.
 */
public final class StoreLimitRoutes {
  private static final String V1 = "/pd/api/v1";
  private static final String ADD = "add-peer";
  private static final String REMOVE = "remove-peer";

  private final RaftCluster cluster;
  private final ConfigStore config;

  private StoreLimitRoutes(RaftCluster cluster, ConfigStore config) {
    this.cluster = cluster;
    this.config = config;
  }

  public static void register(HttpApi api, RaftCluster cluster, ConfigStore config) {
    StoreLimitRoutes r = new StoreLimitRoutes(cluster, config);
    api.get(V1 + "/stores/limit", r::show)
        .post(V1 + "/stores/limit", r::setAll)
        .post(V1 + "/store/{id}/limit", r::setOne);
  }

  private Object show(HttpCall c) {
    boolean tombstones = "true".equalsIgnoreCase(c.query("include_tombstone"));
    ScheduleConfig s = config.live().current().schedule();
    ObjectNode out = HttpApi.JSON.createObjectNode();
    for (StoreInfo store : cluster.stores().all()) {
      if (tombstones || store.meta().getState() != Metapb.StoreState.Tombstone) {
        out.set(Long.toString(store.id()), limitJson(effective(s, store.id())));
      }
    }
    return out;
  }

  private Object setAll(HttpCall c) {
    rejectTtl(c);
    JsonNode body = c.json();
    double rate = rate(body);
    String type = type(body);
    Map<String, String> labels = labels(body);
    ScheduleConfig s = config.live().current().schedule();
    ObjectNode perStore = HttpApi.JSON.createObjectNode();
    s.storeLimit().forEach((id, l) -> perStore.set(Long.toString(id), limitJson(l)));
    for (StoreInfo store : cluster.stores().all()) {
      if (store.meta().getState() != Metapb.StoreState.Tombstone && matches(store, labels)) {
        perStore.set(Long.toString(store.id()), limitJson(with(effective(s, store.id()), type, rate)));
      }
    }
    Map<String, JsonNode> items = new LinkedHashMap<>();
    items.put("schedule.store-limit", perStore);
    if (labels.isEmpty()) {
      items.put("schedule.default-store-limit", limitJson(with(s.defaultStoreLimit(), type, rate)));
    }
    update(items);
    return "All the stores' limit are updated.";
  }

  private Object setOne(HttpCall c) {
    rejectTtl(c);
    long id = c.pathLong("id");
    StoreInfo store = cluster.stores().get(id);
    if (store == null) {
      throw HttpError.notFound("store " + id + " not found");
    }
    if (store.meta().getState() == Metapb.StoreState.Tombstone) {
      throw HttpError.badRequest("store " + id + " is tombstone: its limit cannot be set");
    }
    JsonNode body = c.json();
    double rate = rate(body);
    String type = type(body);
    ScheduleConfig s = config.live().current().schedule();
    ObjectNode perStore = HttpApi.JSON.createObjectNode();
    s.storeLimit().forEach((sid, l) -> perStore.set(Long.toString(sid), limitJson(l)));
    perStore.set(Long.toString(id), limitJson(with(effective(s, id), type, rate)));
    update(Map.of("schedule.store-limit", perStore));
    return "The store's limit is updated.";
  }

  private void update(Map<String, JsonNode> items) {
    try {
      config.set(items);
    } catch (ConfigException e) {
      throw HttpError.badRequest(e.getMessage());
    }
  }

  private static ScheduleConfig.StoreLimit effective(ScheduleConfig s, long storeId) {
    return s.storeLimit().getOrDefault(storeId, s.defaultStoreLimit());
  }

  private static ScheduleConfig.StoreLimit with(ScheduleConfig.StoreLimit l, String type, double rate) {
    return new ScheduleConfig.StoreLimit(
        type == null || type.equals(ADD) ? rate : l.addPeer(),
        type == null || type.equals(REMOVE) ? rate : l.removePeer());
  }

  private static ObjectNode limitJson(ScheduleConfig.StoreLimit l) {
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.put(ADD, l.addPeer());
    n.put(REMOVE, l.removePeer());
    return n;
  }

  private static double rate(JsonNode body) {
    JsonNode r = body.get("rate");
    if (r == null || r.isNull()) {
      throw HttpError.badRequest("rate unset: send {\"rate\": <operations per minute>}");
    }
    if (!r.isNumber() || r.doubleValue() < 0 || Double.isNaN(r.doubleValue())) {
      throw HttpError.badRequest("invalid rate " + r + ": want a number of operations per minute, >= 0");
    }
    return r.doubleValue();
  }

  /** null means both types. */
  private static String type(JsonNode body) {
    JsonNode t = body.get("type");
    if (t == null || t.isNull()) {
      return null;
    }
    String v = t.asText();
    if (!v.equals(ADD) && !v.equals(REMOVE)) {
      throw HttpError.badRequest("invalid type \"" + v + "\": want add-peer or remove-peer");
    }
    return v;
  }

  private static Map<String, String> labels(JsonNode body) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode l = body.get("labels");
    if (l == null || l.isNull()) {
      return out;
    }
    if (!l.isObject()) {
      throw HttpError.badRequest("invalid labels " + l + ": want {\"key\": \"value\", ...}");
    }
    l.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static boolean matches(StoreInfo store, Map<String, String> labels) {
    for (Map.Entry<String, String> want : labels.entrySet()) {
      boolean found = false;
      for (Metapb.StoreLabel l : store.meta().getLabelsList()) {
        found |= l.getKey().equals(want.getKey()) && l.getValue().equals(want.getValue());
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static void rejectTtl(HttpCall c) {
    if (c.query("ttlSecond") != null) {
      throw HttpError.badRequest("ttlSecond is not supported: store limits here are store-limit-version v1");
    }
  }
}
