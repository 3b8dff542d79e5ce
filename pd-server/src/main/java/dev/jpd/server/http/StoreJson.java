package dev.jpd.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpd.core.region.RegionsInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreScores;
import dev.jpd.core.store.StoreStates;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Stores as PD's HTTP API prints them ({@code pkg/response/store.go}): {@code {"store": {...},
 * "status": {...}}}. The store part is the metapb.Store with Go's {@code omitempty} (zero fields
 * left out; {@code state} and {@code node_state} as numbers) plus {@code state_name}. In the
 * status part capacity, available and used_size are Go {@code ByteSize} strings ({@code "1TiB"},
 * {@code "93.13GiB"}, {@code "0B"}: four significant digits, binary units, as docker/go-units
 * prints them); region and leader sizes are MiB numbers; times are RFC 3339 in UTC; uptime is a
 * Go duration string. slow_score is the store's last reported one (PD's {@code GetSlowScore});
 * snapshot counts, which we do not track, are left out (PD omits them when 0).
 */
final class StoreJson {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

  private StoreJson() {}

  static ObjectNode of(StoreInfo s, StoreStatus st, RegionsInfo regions) {
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.set("store", meta(s.meta(), st));
    n.set("status", status(s, regions));
    return n;
  }

  static ObjectNode meta(Metapb.Store m, StoreStatus st) {
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.put("id", m.getId());
    putIf(n, "address", m.getAddress());
    if (m.getLabelsCount() > 0) {
      ArrayNode labels = n.putArray("labels");
      for (Metapb.StoreLabel l : m.getLabelsList()) {
        labels.addObject().put("key", l.getKey()).put("value", l.getValue());
      }
    }
    putIf(n, "version", m.getVersion());
    putIf(n, "peer_address", m.getPeerAddress());
    putIf(n, "status_address", m.getStatusAddress());
    putIf(n, "git_hash", m.getGitHash());
    if (m.getStartTimestamp() != 0) {
      n.put("start_timestamp", m.getStartTimestamp());
    }
    putIf(n, "deploy_path", m.getDeployPath());
    if (m.getLastHeartbeat() != 0) {
      n.put("last_heartbeat", m.getLastHeartbeat());
    }
    if (m.getPhysicallyDestroyed()) {
      n.put("physically_destroyed", true);
    }
    if (m.getStateValue() != 0) {
      n.put("state", m.getStateValue());
    }
    if (m.getNodeStateValue() != 0) {
      n.put("node_state", m.getNodeStateValue());
    }
    n.put("state_name", st.stateName());
    return n;
  }

  static ObjectNode status(StoreInfo s, RegionsInfo regions) {
    Pdpb.StoreStats stats = s.stats();
    long leaderCount = regions.leaderCount(s.id());
    long regionSize = regions.regionSize(s.id());
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.put("capacity", byteSize(stats.getCapacity()));
    n.put("available", byteSize(stats.getAvailable()));
    n.put("used_size", byteSize(stats.getUsedSize()));
    n.put("leader_count", leaderCount);
    n.put("leader_weight", s.leaderWeight());
    n.put("leader_score", StoreScores.leaderScore(s, leaderCount));
    n.put("leader_size", regions.leaderSize(s.id()));
    n.put("region_count", regions.regionCount(s.id()));
    n.put("region_weight", s.regionWeight());
    n.put("region_score", StoreScores.regionScore(s, regionSize));
    n.put("region_size", regionSize);
    n.put("slow_score", stats.getSlowScore());
    if (stats.getStartTime() != 0) {
      n.put("start_ts", time(Integer.toUnsignedLong(stats.getStartTime()) * 1000));
    }
    if (s.lastSeenMillis() > 0) {
      n.put("last_heartbeat_ts", time(s.lastSeenMillis()));
    }
    long uptime = StoreStates.uptimeMillis(s);
    if (uptime > 0) {
      n.put("uptime", dev.jpd.core.time.GoDuration.format(Duration.ofMillis(uptime)));
    }
    return n;
  }

  private static void putIf(ObjectNode n, String field, String v) {
    if (!v.isEmpty()) {
      n.put(field, v);
    }
  }

  private static String time(long millis) {
    return RFC3339.format(Instant.ofEpochMilli(millis));
  }

  /** Go's {@code units.BytesSize}: {@code "%.4g%s"} over binary units. */
  static String byteSize(long bytes) {
    double v = bytes;
    int unit = 0;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(4, RoundingMode.HALF_EVEN));
    String num = d.compareTo(BigDecimal.ZERO) == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    return num + UNITS[unit];
  }
}
