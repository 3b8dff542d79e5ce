package dev.jpd.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.PdServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The endpoints deployment tooling probes first, with PD's JSON shapes: {@code /health},
 * {@code /ping}, {@code /pd/api/v1/{health,ping,version,status,members,cluster}}, and the
 * Prometheus scrape at {@code /metrics}.
 */
public final class StatusRoutes {
  private static final ObjectMapper JSON = HttpApi.JSON;

  private StatusRoutes() {}

  public static void register(HttpApi api, PdServer pd, PrometheusMeterRegistry metrics) {
    api.get("/health", c -> health(pd))
        .get("/ping", c -> null)
        .get("/pd/api/v1/health", c -> health(pd))
        .get("/pd/api/v1/ping", c -> null)
        .get("/pd/api/v1/version", c -> Map.of("version", PdServer.VERSION))
        .get("/pd/api/v1/status", c -> Map.of("version", PdServer.VERSION, "git_hash", "", "build_ts", ""))
        .get("/pd/api/v1/members", c -> members(pd))
        .get("/pd/api/v1/cluster", c -> cluster(pd))
        .get(
            "/metrics",
            c -> new HttpApi.Text("text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
  }

  private static Object health(PdServer pd) {
    Pdpb.Member m = pd.member();
    ArrayNode arr = JSON.createArrayNode();
    ObjectNode n = arr.addObject();
    n.put("name", m.getName());
    n.put("member_id", m.getMemberId());
    n.set("client_urls", JSON.valueToTree(m.getClientUrlsList()));
    n.put("health", true);
    return arr;
  }

  /** A member as PD's JSON prints it. */
  public static ObjectNode member(Pdpb.Member m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", m.getName());
    n.put("member_id", m.getMemberId());
    n.set("peer_urls", JSON.valueToTree(m.getPeerUrlsList()));
    n.set("client_urls", JSON.valueToTree(m.getClientUrlsList()));
    n.put("deploy_path", m.getDeployPath());
    n.put("binary_version", m.getBinaryVersion());
    n.put("git_hash", m.getGitHash());
    n.put("dc_location", m.getDcLocation());
    return n;
  }

  private static Object members(PdServer pd) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("header").put("cluster_id", pd.clusterId());
    root.putArray("members").add(member(pd.member()));
    root.set("leader", member(pd.member()));
    root.set("etcd_leader", member(pd.member()));
    return root;
  }

  private static Object cluster(PdServer pd) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", pd.clusterId());
    if (pd.cluster().isBootstrapped()) {
      Metapb.Cluster c = pd.cluster().clusterMeta();
      n.put("max_peer_count", c.getMaxPeerCount());
    }
    return n;
  }
}
