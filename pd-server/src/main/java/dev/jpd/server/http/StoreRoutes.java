package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.statistics.RegionStatisticType;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import dev.jpd.server.cluster.ClusterHealth;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.cluster.StoreLifecycle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The stores API with PD's paths and JSON (PD's {@code server/api/store.go}), plus {@code GET
 * /regions/check/{type}} over the region statistics. Errors: a malformed id or body is 400 naming
 * it, an unknown store 404, a refused state change 400 with the reason (and nothing changed).
 * Store limits ({@code /stores/limit}, {@code /store/{id}/limit}) belong to the operator
 * controller and are not served yet.
 */
public final class StoreRoutes {
  private static final String V1 = "/pd/api/v1";
  private static final Pattern LABEL_KEY =
      Pattern.compile("^[$]?[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^[-A-Za-z0-9_./]+$");
  private static final List<String> CHECK_STATES =
      List.of("up", "offline", "tombstone", "disconnected", "down");

  private final RaftCluster cluster;
  private final ClusterHealth health;
  private final StoreLifecycle lifecycle;

  private StoreRoutes(RaftCluster cluster, ClusterHealth health, StoreLifecycle lifecycle) {
    this.cluster = cluster;
    this.health = health;
    this.lifecycle = lifecycle;
  }

  public static void register(
      HttpApi api, RaftCluster cluster, ClusterHealth health, StoreLifecycle lifecycle) {
    StoreRoutes r = new StoreRoutes(cluster, health, lifecycle);
    api.get(V1 + "/stores", r::stores)
        .get(V1 + "/stores/check", r::check)
        .delete(V1 + "/stores/remove-tombstone", r::removeTombstone)
        .get(V1 + "/store/{id}", r::store)
        .delete(V1 + "/store/{id}", r::deleteStore)
        .post(V1 + "/store/{id}/state", r::setState)
        .post(V1 + "/store/{id}/label", r::setLabels)
        .delete(V1 + "/store/{id}/label", r::deleteLabel)
        .post(V1 + "/store/{id}/weight", r::setWeight)
        .get(V1 + "/regions/check/{type}", r::regionsCheck);
  }

  private ObjectNode json(StoreInfo s) {
    return StoreJson.of(s, health.storeStatus(s.id()), cluster.regions());
  }

  private ObjectNode list(List<StoreInfo> stores) {
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.put("count", stores.size());
    ArrayNode arr = n.putArray("stores");
    stores.forEach(s -> arr.add(json(s)));
    return n;
  }

  /** GET /stores[?state=Up&state=Offline]: by default every store but Tombstone ones, as PD. */
  private Object stores(HttpCall c) {
    Set<Metapb.StoreState> want = EnumSet.noneOf(Metapb.StoreState.class);
    for (String v : c.queryAll("state")) {
      want.add(parseState(v));
    }
    if (want.isEmpty()) {
      want = EnumSet.of(Metapb.StoreState.Up, Metapb.StoreState.Offline);
    }
    Set<Metapb.StoreState> states = want;
    return list(cluster.stores().all().stream().filter(s -> states.contains(s.meta().getState())).toList());
  }

  private static Metapb.StoreState parseState(String v) {
    for (Metapb.StoreState s : List.of(Metapb.StoreState.Up, Metapb.StoreState.Offline, Metapb.StoreState.Tombstone)) {
      if (s.name().equalsIgnoreCase(v) || Integer.toString(s.getNumber()).equals(v)) {
        return s;
      }
    }
    throw HttpError.badRequest("invalid state \"" + v + "\": want Up, Offline or Tombstone (or 0, 1, 2)");
  }

  /** GET /stores/check?state=up|offline|tombstone|disconnected|down (repeatable). */
  private Object check(HttpCall c) {
    List<String> states = c.queryAll("state");
    if (states.isEmpty()) {
      throw HttpError.badRequest("missing state: want one or more of " + CHECK_STATES);
    }
    for (String s : states) {
      if (!CHECK_STATES.contains(s.toLowerCase(Locale.ROOT))) {
        throw HttpError.badRequest("invalid state \"" + s + "\": want one of " + CHECK_STATES);
      }
    }
    Set<String> want = states.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<StoreInfo> found = new ArrayList<>();
    for (StoreInfo s : cluster.stores().all()) {
      StoreStatus st = health.storeStatus(s.id());
      if (st != null && want.contains(st.stateName().toLowerCase(Locale.ROOT))) {
        found.add(s);
      }
    }
    return list(found);
  }

  private StoreInfo require(HttpCall c) {
    long id = c.pathLong("id");
    StoreInfo s = cluster.stores().get(id);
    if (s == null) {
      throw HttpError.notFound("store " + id + " not found");
    }
    return s;
  }

  private Object store(HttpCall c) {
    return json(require(c));
  }

  /** DELETE /store/{id}[?force=true]: take the store offline (force: physically destroyed). */
  private Object deleteStore(HttpCall c) {
    StoreInfo s = require(c);
    boolean force = bool(c, "force");
    run(() -> lifecycle.removeStore(s.id(), force));
    return "The store is set as Offline.";
  }

  /** POST /store/{id}/state?state=Up|Offline. */
  private Object setState(HttpCall c) {
    StoreInfo s = require(c);
    String state = c.query("state");
    if (state == null || state.isEmpty()) {
      throw HttpError.badRequest("missing state: want Up or Offline");
    }
    switch (state) {
      case "Up" -> run(() -> lifecycle.upStore(s.id()));
      case "Offline" -> run(() -> lifecycle.removeStore(s.id(), false));
      default -> throw HttpError.badRequest("invalid state \"" + state + "\": want Up or Offline");
    }
    return "The store's state is updated.";
  }

  /** POST /store/{id}/label {"zone": "z1", ...}[?force=true replaces all labels]. */
  private Object setLabels(HttpCall c) {
    StoreInfo s = require(c);
    JsonNode body = c.json();
    if (!body.isObject()) {
      throw HttpError.badRequest("request body must be a JSON object of label key to value");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (!LABEL_KEY.matcher(k).matches()) {
        throw HttpError.badRequest("invalid label key \"" + k + "\": want letters, digits and -_./ inside");
      }
      if (!e.getValue().isTextual() || !LABEL_VALUE.matcher(e.getValue().asText()).matches()) {
        throw HttpError.badRequest("invalid value for label \"" + k + "\": " + e.getValue()
            + ": want a non-empty string of letters, digits and -_./");
      }
      labels.put(k, e.getValue().asText());
    }
    boolean replace = bool(c, "force");
    run(() -> lifecycle.setLabels(s.id(), labels, replace));
    return "The store's label is updated.";
  }

  /** DELETE /store/{id}/label with the key as a JSON string body ({@code "zone"}). */
  private Object deleteLabel(HttpCall c) {
    StoreInfo s = require(c);
    JsonNode body = c.json();
    if (!body.isTextual() || body.asText().isEmpty()) {
      throw HttpError.badRequest("request body must be the label key as a JSON string, e.g. \"zone\"");
    }
    run(() -> lifecycle.deleteLabel(s.id(), body.asText()));
    return "The label is deleted for store " + s.id() + ".";
  }

  /** POST /store/{id}/weight {"leader": 1.0, "region": 1.0}; both required, non-negative. */
  private Object setWeight(HttpCall c) {
    StoreInfo s = require(c);
    JsonNode body = c.json();
    double leader = weight(body, "leader");
    double region = weight(body, "region");
    run(() -> lifecycle.setWeights(s.id(), leader, region));
    return "The store's weight is updated.";
  }

  private static double weight(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isNumber()) {
      throw HttpError.badRequest("missing or non-numeric \"" + field + "\" weight: want a number >= 0");
    }
    double d = v.asDouble();
    if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
      throw HttpError.badRequest("invalid \"" + field + "\" weight " + v + ": want a number >= 0");
    }
    return d;
  }

  /** DELETE /stores/remove-tombstone. */
  private Object removeTombstone(HttpCall c) {
    List<Long> removed = lifecycle.removeTombstones();
    return "The tombstone stores are removed: " + removed + ".";
  }

  /** GET /regions/check/{type}: the regions the statistics put in that type. */
  private Object regionsCheck(HttpCall c) {
    String name = c.pathParam("type");
    RegionStatisticType type = RegionStatisticType.byCheckName(name);
    if (type == null) {
      throw HttpError.badRequest("invalid region check type \"" + name + "\": want one of "
          + Arrays.stream(RegionStatisticType.values()).map(RegionStatisticType::checkName).toList());
    }
    List<RegionInfo> regions = new ArrayList<>();
    for (long id : health.statistics().regionIds(type)) {
      RegionInfo r = cluster.regions().getRegion(id);
      if (r != null) {
        regions.add(r);
      }
    }
    return RegionJson.list(regions);
  }

  private static boolean bool(HttpCall c, String name) {
    String v = c.query(name);
    if (v == null || v.isEmpty()) {
      return false;
    }
    return switch (v) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw HttpError.badRequest("invalid " + name + " \"" + v + "\": want true or false");
    };
  }

  private static void run(Runnable change) {
    try {
      change.run();
    } catch (StoreLifecycle.StoreNotFoundException e) {
      throw HttpError.notFound(e.getMessage());
    } catch (StoreLifecycle.StoreStateException e) {
      throw HttpError.badRequest(e.getMessage());
    }
  }
}
