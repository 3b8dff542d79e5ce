package dev.jpd.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.PdServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP status endpoints that deployment tooling probes first — {@code /health},
 * {@code /ping}, {@code /pd/api/v1/{health,ping,version,status,members,cluster}} — with PD's JSON
 * shapes, on the JDK's built-in server. The full PD HTTP API (stores, regions, config, metrics)
 * comes with its own issue and may move to a richer server.
 */
public final class StatusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;

  private StatusServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static StatusServer start(String host, int port, PdServer pd) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "pd-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    Map<String, Supplier<Object>> routes =
        Map.of(
            "/health", () -> health(pd),
            "/ping", () -> null,
            "/pd/api/v1/health", () -> health(pd),
            "/pd/api/v1/ping", () -> null,
            "/pd/api/v1/version", () -> Map.of("version", PdServer.VERSION),
            "/pd/api/v1/status", () -> status(),
            "/pd/api/v1/members", () -> members(pd),
            "/pd/api/v1/cluster", () -> cluster(pd));
    routes.forEach(
        (path, body) -> server.createContext(path, ex -> serve(ex, path, body)));
    server.start();
    return new StatusServer(server, executor);
  }

  private static void serve(HttpExchange ex, String path, Supplier<Object> body) throws IOException {
    try {
      if (!ex.getRequestURI().getPath().equals(path)) {
        send(ex, 404, Map.of("error", "no route " + ex.getRequestURI().getPath()));
        return;
      }
      if (!"GET".equals(ex.getRequestMethod())) {
        send(ex, 405, Map.of("error", ex.getRequestMethod() + " not allowed on " + path));
        return;
      }
      Object value;
      try {
        value = body.get();
      } catch (RuntimeException e) {
        send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        return;
      }
      send(ex, 200, value);
    } finally {
      ex.close();
    }
  }

  private static void send(HttpExchange ex, int code, Object value) throws IOException {
    byte[] bytes =
        value == null ? new byte[0] : JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Object health(PdServer pd) {
    Pdpb.Member m = pd.member();
    ArrayNode arr = JSON.createArrayNode();
    ObjectNode n = arr.addObject();
    n.put("name", m.getName());
    n.put("member_id", Long.toUnsignedString(m.getMemberId()));
    n.set("client_urls", JSON.valueToTree(m.getClientUrlsList()));
    n.put("health", true);
    return arr;
  }

  private static Object status() {
    return Map.of("version", PdServer.VERSION, "git_hash", "", "build_ts", "");
  }

  static ObjectNode member(Pdpb.Member m) {
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
    Metapb.Cluster c = pd.cluster().isBootstrapped() ? pd.cluster().clusterMeta() : null;
    ObjectNode n = JSON.createObjectNode();
    n.put("id", pd.clusterId());
    if (c != null) {
      n.put("max_peer_count", c.getMaxPeerCount());
    }
    return n;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String address() {
    return server.getAddress().getHostString() + ":" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
