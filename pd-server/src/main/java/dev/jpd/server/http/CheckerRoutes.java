package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.CheckerReport;
import dev.jpd.checker.Diagnosis;
import dev.jpd.checker.StoreRejection;
import dev.jpd.checker.patrol.PatrolService;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.server.cluster.RaftCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkers over HTTP.
 *
 * <ul>
 *   <li>{@code GET /checker/{name}}: {@code {"paused": bool}}; {@code POST /checker/{name}
 *       {"delay": seconds}} pauses it for that long, 0 resumes it (PD's answers and strings). An
 *       unknown checker is a 400 listing the known ones (PD answers 500).
 *   <li>{@code GET /regions/{id}/diagnose} (beyond PD): a dry run of the checker chain over the
 *       region: per checker what it saw, the operators it would build, or why not (paused, deny
 *       label, schedule or store limit, no target store with every rejected store and why), the
 *       region's running operator, whether it waits in the patrol's pending list ({@code
 *       pending}: a limit or a temporarily unavailable store) and in the rule pending list
 *       ({@code rule_pending}: the rule checker found no store that qualifies).
 *   <li>{@code POST /regions/accelerate-schedule {"start_key", "end_key"}} (hex) and {@code
 *       /regions/accelerate-schedule/batch [..]}: the ranges become suspect, so the patrol checks
 *       their regions within a few ticks.
 * </ul>
 */
public final class CheckerRoutes {
  private static final String P = "/pd/api/v1";

  private final RaftCluster cluster;
  private final CheckerChain chain;
  private final PatrolService patrol;

  private CheckerRoutes(RaftCluster cluster, CheckerChain chain, PatrolService patrol) {
    this.cluster = cluster;
    this.chain = chain;
    this.patrol = patrol;
  }

  public static void register(HttpApi api, RaftCluster cluster, CheckerChain chain,
      PatrolService patrol) {
    CheckerRoutes r = new CheckerRoutes(cluster, chain, patrol);
    api.get(P + "/checker/{name}", r::status)
        .post(P + "/checker/{name}", r::pause)
        .get(P + "/regions/{id}/diagnose", r::diagnose)
        .post(P + "/regions/accelerate-schedule", r::accelerate)
        .post(P + "/regions/accelerate-schedule/batch", r::accelerateBatch);
  }

  private Object status(HttpCall c) {
    String name = known(c.pathParam("name"));
    return Map.of("paused", chain.isPaused(name));
  }

  private Object pause(HttpCall c) {
    String name = known(c.pathParam("name"));
    JsonNode body = c.json();
    JsonNode delay = body.get("delay");
    if (delay == null || delay.isNull()) {
      throw HttpError.badRequest("missing pause time");
    }
    if (!delay.canConvertToLong() || !delay.isIntegralNumber() || delay.asLong() < 0) {
      throw HttpError.badRequest("invalid delay " + delay
          + ": want whole seconds >= 0 (0 resumes the checker)");
    }
    long seconds = delay.asLong();
    chain.pause(name, Duration.ofSeconds(seconds));
    return seconds == 0 ? "Resume the checker successfully." : "Pause the checker successfully.";
  }

  private String known(String name) {
    if (!chain.names().contains(name)) {
      throw HttpError.badRequest("unknown checker \"" + name + "\": use one of "
          + String.join(", ", chain.names()));
    }
    return name;
  }

  private Object diagnose(HttpCall c) {
    long id = c.pathLong("id");
    RegionInfo region = cluster.regions().getRegion(id);
    if (region == null) {
      throw HttpError.notFound("region " + id + " not found");
    }
    Diagnosis d = chain.diagnose(region);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("region_id", d.regionId());
    out.put("running_operator", d.runningOperator() == null ? null
        : OperatorText.of(d.runningOperator()));
    out.put("pending", patrol.isPending(id));
    out.put("rule_pending", patrol.isRulePending(id));
    out.put("operators", texts(d.operators()));
    List<Map<String, Object>> checkers = new ArrayList<>();
    for (CheckerReport r : d.reports()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("checker", r.checker());
      m.put("result", r.reason().text());
      m.put("detail", r.detail());
      m.put("saw", r.saw());
      m.put("operators", texts(r.operators()));
      List<Map<String, Object>> rejected = new ArrayList<>();
      for (StoreRejection s : r.rejectedStores()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("store_id", s.storeId());
        sm.put("filter", s.filter());
        sm.put("reason", s.why());
        rejected.add(sm);
      }
      m.put("rejected_stores", rejected);
      checkers.add(m);
    }
    out.put("checkers", checkers);
    return out;
  }

  private static List<String> texts(List<Operator> ops) {
    List<String> out = new ArrayList<>(ops.size());
    for (Operator op : ops) {
      out.add(OperatorText.of(op));
    }
    return out;
  }

  private Object accelerate(HttpCall c) {
    byte[][] range = range(c.json());
    patrol.addSuspectKeyRange(range[0], range[1]);
    return "Accelerate regions scheduling in a given range ["
        + HexFormat.of().formatHex(range[0]) + "," + HexFormat.of().formatHex(range[1]) + ")";
  }

  private Object accelerateBatch(HttpCall c) {
    JsonNode body = c.json();
    if (!body.isArray()) {
      throw HttpError.badRequest("want a JSON array of {\"start_key\", \"end_key\"}");
    }
    List<byte[][]> ranges = new ArrayList<>();
    for (JsonNode n : body) {
      ranges.add(range(n)); // all checked before any is added
    }
    for (byte[][] r : ranges) {
      patrol.addSuspectKeyRange(r[0], r[1]);
    }
    return "Accelerate regions scheduling in given ranges: " + ranges.size();
  }

  private static byte[][] range(JsonNode n) {
    byte[] start = hex(n, "start_key");
    byte[] end = hex(n, "end_key");
    if (end.length > 0 && java.util.Arrays.compareUnsigned(start, end) >= 0) {
      throw HttpError.badRequest("start_key " + n.get("start_key").asText()
          + " is not before end_key " + n.get("end_key").asText());
    }
    return new byte[][] {start, end};
  }

  private static byte[] hex(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw HttpError.badRequest(field + " unset: want a hex key (\"\" for the end of the key space)");
    }
    return RegionJson.parseHex(field, v.asText());
  }
}
