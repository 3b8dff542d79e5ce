package dev.jpd.server.http;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.Await;
import dev.jpd.core.testing.TestClock;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every store route over a real port, bad input included. */
@Timeout(60)
class StoreRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient client = HttpClient.newHttpClient();
  final TestClock clock = TestClock.atNow();
  @TempDir Path dir;
  TestPd pd;
  RegionHeartbeatStream stream;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir, clock);
    pd.bootstrap();
    pd.putStore(2);
    pd.putStore(3);
    pd.putStore(4);
    stream = pd.heartbeats();
    Metapb.Region r = region(2, "", "", 3, 1, peer(3, 1), peer(4, 2), peer(5, 3));
    stream.send(pd.heartbeat(r, peer(3, 1)));
    Await.until("region 2 has 3 peers", Duration.ofSeconds(10),
        () -> pd.server().cluster().regions().getRegion(2).peers().size() == 3);
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + pd.server().httpPort() + "/pd/api/v1" + path);
    HttpRequest.BodyPublisher p =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return client.send(HttpRequest.newBuilder(uri).method(method, p).build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode ok(String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  String error(int status, String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    return JSON.readTree(r.body()).asText();
  }

  @Test
  void storeJsonHasPdsShape() throws Exception {
    pd.storeHeartbeat(Pdpb.StoreStats.newBuilder().setStoreId(1).setCapacity(1L << 40)
        .setAvailable(100_000_000_000L).setUsedSize(1536).setSlowScore(42)
        .setStartTime((int) (clock.millis() / 1000) - 3600).build());
    JsonNode s = ok("GET", "/store/1", null);
    assertThat(s.at("/store/id").asLong()).isEqualTo(1);
    assertThat(s.at("/store/address").asText()).isEqualTo("127.0.0.1:20161");
    assertThat(s.at("/store/state_name").asText()).isEqualTo("Up");
    assertThat(s.at("/store/version").asText()).isEqualTo("8.5.0");
    assertThat(s.at("/status/capacity").asText()).isEqualTo("1TiB");
    assertThat(s.at("/status/available").asText()).isEqualTo("93.13GiB");
    assertThat(s.at("/status/used_size").asText()).isEqualTo("1.5KiB");
    assertThat(s.at("/status/region_count").asInt()).isEqualTo(1);
    assertThat(s.at("/status/leader_count").asInt()).isEqualTo(1);
    assertThat(s.at("/status/leader_size").asInt()).isEqualTo(96);
    assertThat(s.at("/status/region_size").asInt()).isEqualTo(96);
    assertThat(s.at("/status/leader_weight").asDouble()).isEqualTo(1.0);
    assertThat(s.at("/status/region_score").asDouble()).isEqualTo(96.0);
    assertThat(s.at("/status/slow_score").asLong()).isEqualTo(42);
    assertThat(s.at("/status/uptime").asText()).startsWith("1h0m0"); // start_time has whole seconds
    assertThat(s.at("/status/last_heartbeat_ts").asText()).endsWith("Z");
  }

  @Test
  void listsFilterByStateAndCheckFiltersByStateName() throws Exception {
    assertThat(ok("GET", "/stores", null).get("count").asInt()).isEqualTo(4);
    ok("DELETE", "/store/4", null);
    assertThat(ok("GET", "/stores?state=Offline", null).at("/stores/0/store/id").asLong()).isEqualTo(4);
    assertThat(ok("GET", "/stores?state=Up&state=1", null).get("count").asInt()).isEqualTo(4);
    assertThat(error(400, "GET", "/stores?state=Sideways", null)).contains("Sideways");

    clock.advance(Duration.ofSeconds(30));
    pd.storeHeartbeat(1);
    pd.storeHeartbeat(2);
    JsonNode disc = ok("GET", "/stores/check?state=disconnected", null);
    assertThat(disc.get("count").asInt()).isEqualTo(1);
    assertThat(disc.at("/stores/0/store/id").asLong()).isEqualTo(3);
    assertThat(ok("GET", "/stores/check?state=offline", null).at("/stores/0/store/state_name").asText()).isEqualTo("Offline");
    assertThat(error(400, "GET", "/stores/check?state=sleepy", null)).contains("sleepy");
    assertThat(error(400, "GET", "/stores/check", null)).contains("missing state");
  }

  @Test
  void badIdsAndUnknownStores() throws Exception {
    assertThat(error(400, "GET", "/store/abc", null)).contains("invalid id \"abc\"");
    assertThat(error(404, "GET", "/store/99", null)).isEqualTo("store 99 not found");
    assertThat(error(404, "DELETE", "/store/99", null)).contains("99");
    assertThat(error(400, "POST", "/store/x/state?state=Up", null)).contains("invalid id");
    assertThat(error(404, "POST", "/store/99/weight", "{\"leader\":1,\"region\":1}")).contains("99");
  }

  @Test
  void removingTooManyStoresIsRefusedWithTheReasonAndNothingChanges() throws Exception {
    ok("DELETE", "/store/4", null);
    String why = error(400, "DELETE", "/store/3", null);
    assertThat(why).isEqualTo("can not remove store 3 since the number of up stores would be 2 while need 3");
    assertThat(ok("GET", "/store/3", null).at("/store/state_name").asText()).isEqualTo("Up");
    assertThat(ok("GET", "/regions/check/offline-peer", null).get("count").asInt()).isZero();
  }

  @Test
  void stateRouteTakesAStoreOfflineAndBackAndTombstonesArePurged() throws Exception {
    ok("POST", "/store/3/state?state=Offline", null);
    JsonNode offline = ok("GET", "/regions/check/offline-peer", null);
    assertThat(offline.get("count").asInt()).isEqualTo(1);
    assertThat(offline.at("/regions/0/id").asLong()).isEqualTo(2);
    ok("POST", "/store/3/state?state=Up", null);
    assertThat(ok("GET", "/store/3", null).at("/store/node_state").asInt()).isEqualTo(Metapb.NodeState.Serving_VALUE);
    assertThat(error(400, "POST", "/store/3/state?state=Tombstone", null)).contains("Tombstone").contains("want Up or Offline");
    assertThat(error(400, "POST", "/store/3/state", null)).contains("missing state");

    ok("DELETE", "/store/4?force=true", null);
    assertThat(ok("GET", "/store/4", null).at("/store/physically_destroyed").asBoolean()).isTrue();
    assertThat(error(400, "POST", "/store/4/state?state=Up", null)).contains("physically destroyed");
    assertThat(error(400, "DELETE", "/store/4?force=maybe", null)).contains("force");
    pd.server().storeLifecycle().checkStores();
    assertThat(ok("GET", "/store/4", null).at("/store/state_name").asText()).isEqualTo("Tombstone");
    assertThat(ok("GET", "/stores", null).get("count").asInt()).as("Tombstone hidden by default").isEqualTo(3);
    assertThat(ok("GET", "/stores?state=Tombstone", null).get("count").asInt()).isEqualTo(1);
    ok("DELETE", "/stores/remove-tombstone", null);
    error(404, "GET", "/store/4", null);
  }

  @Test
  void labels() throws Exception {
    ok("POST", "/store/2/label", "{\"zone\":\"z1\",\"host\":\"h1\"}");
    ok("POST", "/store/2/label", "{\"rack\":\"r1\"}");
    JsonNode labels = ok("GET", "/store/2", null).at("/store/labels");
    assertThat(labels.size()).isEqualTo(3);
    ok("POST", "/store/2/label?force=true", "{\"zone\":\"z2\"}");
    labels = ok("GET", "/store/2", null).at("/store/labels");
    assertThat(labels.size()).isEqualTo(1);
    assertThat(labels.at("/0/value").asText()).isEqualTo("z2");
    assertThat(error(400, "POST", "/store/2/label", "{\"bad key\":\"v\"}")).contains("bad key");
    assertThat(error(400, "POST", "/store/2/label", "{\"zone\":\"\"}")).contains("zone");
    assertThat(error(400, "POST", "/store/2/label", "[1]")).contains("JSON object");
    assertThat(error(400, "POST", "/store/2/label", "{nope")).contains("not valid JSON");
    assertThat(error(400, "DELETE", "/store/2/label", "\"rack\"")).contains("no label \"rack\"");
    ok("DELETE", "/store/2/label", "\"zone\"");
    assertThat(ok("GET", "/store/2", null).at("/store").has("labels")).isFalse();
  }

  @Test
  void weights() throws Exception {
    ok("POST", "/store/2/weight", "{\"leader\":2,\"region\":0.5}");
    JsonNode st = ok("GET", "/store/2", null).get("status");
    assertThat(st.get("leader_weight").asDouble()).isEqualTo(2.0);
    assertThat(st.get("region_weight").asDouble()).isEqualTo(0.5);
    assertThat(st.get("region_score").asDouble()).isEqualTo(192.0);
    assertThat(error(400, "POST", "/store/2/weight", "{\"leader\":-1,\"region\":1}")).contains("leader").contains("-1");
    assertThat(error(400, "POST", "/store/2/weight", "{\"leader\":1}")).contains("region");
    assertThat(error(400, "POST", "/store/2/weight", null)).contains("empty");
    assertThat(ok("GET", "/store/2", null).at("/status/leader_weight").asDouble()).as("unchanged").isEqualTo(2.0);
  }

  @Test
  void regionsCheck() throws Exception {
    assertThat(ok("GET", "/regions/check/miss-peer", null).get("count").asInt()).isZero();
    Metapb.Region two = region(2, "", "", 4, 1, peer(3, 1), peer(4, 2));
    stream.send(pd.heartbeat(two, peer(3, 1)));
    Await.until("miss-peer lists region 2", Duration.ofSeconds(10), () -> {
      try {
        return ok("GET", "/regions/check/miss-peer", null).at("/regions/0/id").asLong() == 2;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(error(400, "GET", "/regions/check/hungry-peer", null)).contains("hungry-peer").contains("miss-peer");
  }
}
