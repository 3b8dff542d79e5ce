package dev.jpd.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import dev.jpd.core.region.KeyOrder;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.region.RegionsInfo;
import dev.jpd.proto.ReplicationModepb;
import dev.jpd.server.PdServer;
import dev.jpd.server.cluster.RaftCluster;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Region look-ups and the cluster status, with PD's paths and JSON ({@code server/api/region.go},
 * {@code cluster.go}). A region is {@link RegionJson#of}; lists are {@code {"count", "regions"}}.
 *
 * <ul>
 *   <li>{@code GET /pd/api/v1/regions}: every region, in key order.
 *   <li>{@code GET /pd/api/v1/region/id/{id}}: one region; 404 naming the id when unknown (as
 *       current PD; old PD answered 200 with {@code null}); 400 for 0 or a non-number.
 *   <li>{@code GET /pd/api/v1/region/key/{key}[?format=hex]}: the region holding the key. The key
 *       is the URL-unescaped path segment taken as raw bytes (UTF-8), or hex with
 *       {@code format=hex}; 404 when the key falls in a hole.
 *   <li>{@code GET /pd/api/v1/regions/key?key=&end_key=&limit=[&format=hex]}: scan from the
 *       region holding {@code key} up to {@code end_key} (empty: to the end). {@code limit}
 *       defaults to 16 and is capped at 10240, as PD's {@code AdjustLimit}; unlike PD, a limit
 *       below 1 is a 400 rather than "no limit".
 *   <li>{@code GET /pd/api/v1/regions/count}: {@code {"count": n, "regions": null}}, PD's shape.
 *   <li>{@code GET /pd/api/v1/regions/store/{id}[?type=all|leader|follower|learner]}: regions
 *       with a peer (of that kind) on the store.
 *   <li>{@code GET /pd/api/v1/regions/sibling/{id}}: PD's {@code GetAdjacentRegions}, the cached
 *       regions just before and after in start-key order, touching it or not (across a hole the
 *       neighbour is still listed, as PD does); 404 for an unknown id. At the ends of the key
 *       space PD writes a placeholder for the missing neighbour (an all-zero region with id 0, or
 *       since its 2024 easyjson change a second copy of the left one) and always says count 2;
 *       we leave the missing neighbour out and count what we list.
 *   <li>{@code GET /pd/api/v1/cluster/status}: {@code {raft_bootstrap_time, is_initialized,
 *       replication_status}} as PD's {@code cluster.Status}: the time is RFC 3339 with
 *       nanoseconds in UTC, and before bootstrap Go's zero time {@code 0001-01-01T00:00:00Z}
 *       ({@code omitempty} does not omit a struct in Go); {@code replication_status} is the Go
 *       text form of the replication status, which for the majority mode (the only one we run)
 *       is the empty string.
 * </ul>
 */
public final class RegionRoutes {
  /** PD's {@code defaultRegionLimit} and {@code maxRegionLimit}. */
  static final int DEFAULT_LIMIT = 16;

  static final int MAX_LIMIT = 10240;

  private static final String P = "/pd/api/v1";

  private RegionRoutes() {}

  public static void register(HttpApi api, PdServer pd) {
    RaftCluster cluster = pd.cluster();
    RegionsInfo regions = cluster.regions();
    api.get(P + "/regions", c -> RegionJson.list(regions.all()))
        .get(P + "/region/id/{id}", c -> RegionJson.of(byId(regions, regionId(c, "id"))))
        .get(P + "/region/key/{key}", c -> byKey(regions, c))
        .get(P + "/regions/key", c -> scan(regions, c))
        .get(P + "/regions/count", c -> count(regions))
        .get(P + "/regions/store/{id}", c -> storeRegions(regions, c))
        .get(P + "/regions/sibling/{id}", c -> siblings(regions, regionId(c, "id")))
        .get(P + "/cluster/status", c -> status(pd));
  }

  private static long regionId(HttpCall c, String name) {
    long id = c.pathLong(name);
    if (id == 0) {
      throw HttpError.badRequest("invalid region id 0: region ids start at 1");
    }
    return id;
  }

  private static RegionInfo byId(RegionsInfo regions, long id) {
    RegionInfo r = regions.getRegion(id);
    if (r == null) {
      throw HttpError.notFound("region " + Long.toUnsignedString(id) + " not found");
    }
    return r;
  }

  private static Object byKey(RegionsInfo regions, HttpCall c) {
    ByteString key = key(c, "key", c.pathParam("key"));
    RegionInfo r = regions.getRegionByKey(key);
    if (r == null) {
      throw HttpError.notFound("region not found for key \"" + c.pathParam("key") + "\"");
    }
    return RegionJson.of(r);
  }

  private static Object scan(RegionsInfo regions, HttpCall c) {
    ByteString start = key(c, "key", orEmpty(c.query("key")));
    ByteString end = key(c, "end_key", orEmpty(c.query("end_key")));
    long limit = c.queryLong("limit", DEFAULT_LIMIT);
    if (limit < 1) {
      throw HttpError.badRequest("invalid limit \"" + c.query("limit") + "\": want 1 or more");
    }
    return RegionJson.list(regions.scanRegions(start, end, (int) Math.min(limit, MAX_LIMIT)));
  }

  private static Object count(RegionsInfo regions) {
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.put("count", regions.size());
    n.putNull("regions");
    return n;
  }

  private static Object storeRegions(RegionsInfo regions, HttpCall c) {
    long storeId = c.pathLong("id");
    String type = c.query("type") == null || c.query("type").isEmpty() ? "all" : c.query("type");
    List<RegionInfo> out =
        switch (type) {
          case "all" -> regions.storeRegions(storeId);
          case "leader" -> regions.leaderRegions(storeId);
          case "follower" -> regions.followerRegions(storeId);
          case "learner" -> regions.learnerRegions(storeId);
          default -> throw HttpError.badRequest(
              "invalid type \"" + type + "\": want all, leader, follower or learner");
        };
    if (!type.equals("all")) {
      out = new ArrayList<>(out);
      out.sort((a, b) -> KeyOrder.compare(a.startKey(), b.startKey()));
    }
    return RegionJson.list(out);
  }

  private static Object siblings(RegionsInfo regions, long id) {
    RegionsInfo.Adjacent adjacent = regions.getAdjacentRegions(byId(regions, id));
    List<RegionInfo> out = new ArrayList<>(2);
    if (adjacent.prev() != null) {
      out.add(adjacent.prev());
    }
    if (adjacent.next() != null) {
      out.add(adjacent.next());
    }
    return RegionJson.list(out);
  }

  private static Object status(PdServer pd) {
    RaftCluster cluster = pd.cluster();
    ObjectNode n = HttpApi.JSON.createObjectNode();
    Optional<Long> nanos = cluster.bootstrapTimeNanos();
    n.put("raft_bootstrap_time", nanos.map(RegionRoutes::rfc3339).orElse(GO_ZERO_TIME));
    n.put("is_initialized", nanos.isPresent() && isInitialized(pd));
    // Go's String() of the status proto: compact text, which omits the default MAJORITY mode.
    n.put(
        "replication_status",
        TextFormat.shortDebugString(
            ReplicationModepb.ReplicationStatus.newBuilder()
                .setMode(ReplicationModepb.ReplicationMode.MAJORITY)
                .build()));
    return n;
  }

  /**
   * PD's {@code isInitialized}: more than one region, or the one region covering everything has
   * at least max-replicas voters and no pending peer.
   */
  private static boolean isInitialized(PdServer pd) {
    RegionsInfo regions = pd.cluster().regions();
    if (regions.size() > 1) {
      return true;
    }
    RegionInfo first = regions.getRegionByKey(ByteString.EMPTY);
    return first != null
        && first.voters().size() >= pd.config().current().replication().maxReplicas()
        && first.pendingPeers().isEmpty();
  }

  /** How Go's encoding/json writes a zero {@code time.Time}: PD's time before bootstrap. */
  static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

  static String rfc3339(long unixNanos) {
    Instant t = Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L),
        Math.floorMod(unixNanos, 1_000_000_000L));
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
  }

  /** A key given as text: raw UTF-8 bytes, or hex with {@code format=hex} (PD's ParseHexKeys). */
  private static ByteString key(HttpCall c, String name, String text) {
    if (!"hex".equals(c.query("format"))) {
      return ByteString.copyFrom(text.getBytes(StandardCharsets.UTF_8));
    }
    try {
      return ByteString.copyFrom(HexFormat.of().parseHex(text));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("invalid " + name + " \"" + text + "\": format=hex wants hex digits");
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
