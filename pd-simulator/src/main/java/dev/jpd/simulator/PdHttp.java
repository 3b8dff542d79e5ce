package dev.jpd.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The few PD HTTP calls a simulated cluster's operator makes, as {@code pd-ctl} would: set the
 * config, set a placement rule, add an admin operator, read one back, delete (take offline) a
 * store. JDK client only; the
 * bodies are small JSON written by hand so the simulator keeps no JSON dependency.
 */
final class PdHttp {
  private static final String V1 = "/pd/api/v1";

  /** One answer: the status and the body as text. */
  record Response(int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }

    /** This response, or an exception naming the call, status and body. */
    Response expectOk(String what) {
      if (!ok()) {
        throw new IllegalStateException(what + ": HTTP " + status + " " + body);
      }
      return this;
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  /** {@code hostPort} of the PD's HTTP listener, e.g. {@code 127.0.0.1:2381}. */
  PdHttp(String hostPort) {
    PdClient.HostAndPort hp = PdClient.HostAndPort.parse(hostPort);
    this.base = "http://" + hp.host() + ":" + hp.port();
  }

  /** {@code POST /pd/api/v1/config} with {@code {"key": value, ...}} as JSON text. */
  Response setConfig(String json) {
    return send("POST", V1 + "/config", json);
  }

  /** {@code POST /pd/api/v1/operators} with the operator as JSON text (see the builders below). */
  Response addOperator(String json) {
    return send("POST", V1 + "/operators", json);
  }

  /** {@code GET /pd/api/v1/operators/{region_id}}: the running or recently finished operator. */
  Response operator(long regionId) {
    return send("GET", V1 + "/operators/" + regionId, null);
  }

  /** {@code GET /pd/api/v1/operators}: the running operators. */
  Response operators() {
    return send("GET", V1 + "/operators", null);
  }

  /** {@code POST /pd/api/v1/config/rule}: adds or replaces one placement rule (JSON text). */
  Response setRule(String json) {
    return send("POST", V1 + "/config/rule", json);
  }

  /** {@code DELETE /pd/api/v1/store/{id}}: the store goes Offline and is drained. */
  Response deleteStore(long storeId) {
    return send("DELETE", V1 + "/store/" + storeId, null);
  }

  /**
   * A placement rule over the whole key space: {@code count} peers of {@code role} on stores whose
   * label {@code labelKey} is {@code labelValue}.
   */
  static String rule(String group, String id, String role, int count, String labelKey,
      String labelValue) {
    return "{\"group_id\":\"" + group + "\",\"id\":\"" + id + "\",\"index\":1,"
        + "\"start_key\":\"\",\"end_key\":\"\",\"role\":\"" + role + "\",\"count\":" + count
        + ",\"label_constraints\":[{\"key\":\"" + labelKey + "\",\"op\":\"in\",\"values\":[\""
        + labelValue + "\"]}]}";
  }

  static String transferLeader(long regionId, long toStore) {
    return "{\"name\":\"transfer-leader\",\"region_id\":" + regionId + ",\"to_store_id\":" + toStore + "}";
  }

  static String transferRegion(long regionId, List<Long> toStores) {
    return "{\"name\":\"transfer-region\",\"region_id\":" + regionId + ",\"to_store_ids\":["
        + toStores.stream().map(String::valueOf).collect(Collectors.joining(",")) + "]}";
  }

  static String transferPeer(long regionId, long fromStore, long toStore) {
    return "{\"name\":\"transfer-peer\",\"region_id\":" + regionId + ",\"from_store_id\":" + fromStore
        + ",\"to_store_id\":" + toStore + "}";
  }

  /** Split by policy ({@code scan}, {@code approximate}) or at hex keys ({@code usekey}). */
  static String splitRegion(long regionId, String policy, List<String> hexKeys) {
    return "{\"name\":\"split-region\",\"region_id\":" + regionId + ",\"policy\":\"" + policy + "\""
        + (hexKeys.isEmpty() ? "" : ",\"keys\":[" + hexKeys.stream().map(k -> "\"" + k + "\"")
            .collect(Collectors.joining(",")) + "]")
        + "}";
  }

  private Response send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + base + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + base + path + " interrupted", e);
    }
  }
}
