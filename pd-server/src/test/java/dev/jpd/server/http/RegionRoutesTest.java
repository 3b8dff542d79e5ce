package dev.jpd.server.http;

import static dev.jpd.server.http.ApiClient.message;
import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.proto.Metapb;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The region routes over a real port, on regions reported over real gRPC. Layout:
 * [,"b") 2 | ["b","d") 20 (leader on store 1, learner on store 2) | hole | ["f","") 40.
 */
@Timeout(60)
class RegionRoutesTest {
  @TempDir static Path dir;
  static TestPd pd;
  static ApiClient api;

  static final Metapb.Peer LEARNER =
      peer(22, 2).toBuilder().setRole(Metapb.PeerRole.Learner).build();
  static final Metapb.Region A = region(2, "", "b", 1, 3, peer(3, 1));
  static final Metapb.Region B = region(20, "b", "d", 2, 3, peer(21, 1), LEARNER);
  static final Metapb.Region D = region(40, "f", "", 1, 3, peer(41, 1));

  @BeforeAll
  static void start() {
    pd = TestPd.start(dir);
    pd.bootstrap();
    pd.putStore(2);
    api = new ApiClient(pd);
    try (RegionHeartbeatStream s = pd.heartbeats()) {
      for (Metapb.Region r : List.of(B, D, A)) {
        s.send(pd.heartbeat(r, r.getPeers(0)));
      }
      Await.until("three regions", Duration.ofSeconds(10),
          () -> pd.server().cluster().regions().size() == 3
              && pd.server().cluster().regions().getRegion(2).version() == 3);
    }
  }

  @AfterAll
  static void stop() {
    pd.close();
  }

  static List<Long> ids(JsonNode list) {
    List<Long> out = new ArrayList<>();
    list.get("regions").forEach(r -> out.add(r.get("id").asLong()));
    assertThat(list.get("count").asInt()).isEqualTo(out.size());
    return out;
  }

  @Test
  void allRegionsInKeyOrderWithPdsFields() throws Exception {
    JsonNode all = api.getJson("/pd/api/v1/regions");
    assertThat(ids(all)).containsExactly(2L, 20L, 40L);
    JsonNode b = all.get("regions").get(1);
    assertThat(b.get("start_key").asText()).isEqualTo("62");
    assertThat(b.get("end_key").asText()).isEqualTo("64");
    assertThat(b.at("/epoch/conf_ver").asLong()).isEqualTo(2);
    assertThat(b.at("/leader/store_id").asLong()).isEqualTo(1);
    assertThat(b.at("/peers/1/role_name").asText()).isEqualTo("Learner");
    assertThat(b.get("approximate_size").asLong()).isEqualTo(96);
  }

  @Test
  void regionById() throws Exception {
    assertThat(api.getJson("/pd/api/v1/region/id/20").get("end_key").asText()).isEqualTo("64");
    HttpResponse<String> unknown = api.get("/pd/api/v1/region/id/999");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(message(unknown)).contains("region 999 not found");
    HttpResponse<String> bad = api.get("/pd/api/v1/region/id/abc");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(message(bad)).contains("id").contains("abc");
    assertThat(api.get("/pd/api/v1/region/id/0").statusCode()).isEqualTo(400);
    assertThat(api.get("/pd/api/v1/region/id/-3").statusCode()).isEqualTo(400);
  }

  @Test
  void regionByRawOrHexKey() throws Exception {
    assertThat(api.getJson("/pd/api/v1/region/key/c").get("id").asLong()).isEqualTo(20);
    assertThat(api.getJson("/pd/api/v1/region/key/%62").get("id").asLong()).isEqualTo(20);
    assertThat(api.getJson("/pd/api/v1/region/key/zz%2Fzz").get("id").asLong()).isEqualTo(40);
    assertThat(api.getJson("/pd/api/v1/region/key/63?format=hex").get("id").asLong()).isEqualTo(20);
    HttpResponse<String> hole = api.get("/pd/api/v1/region/key/e");
    assertThat(hole.statusCode()).isEqualTo(404);
    assertThat(message(hole)).contains("\"e\"");
    HttpResponse<String> badHex = api.get("/pd/api/v1/region/key/xyz?format=hex");
    assertThat(badHex.statusCode()).isEqualTo(400);
    assertThat(message(badHex)).contains("xyz");
  }

  @Test
  void scanByKeyRangeWithLimit() throws Exception {
    assertThat(ids(api.getJson("/pd/api/v1/regions/key?key=a"))).containsExactly(2L, 20L, 40L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/key?key=a&limit=2"))).containsExactly(2L, 20L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/key?key=c&end_key=e"))).containsExactly(20L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/key?key=e&end_key=g"))).containsExactly(40L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/key?key=62&format=hex&limit=99999")))
        .containsExactly(20L, 40L);
    HttpResponse<String> bad = api.get("/pd/api/v1/regions/key?key=a&limit=ten");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(message(bad)).contains("limit").contains("ten");
    HttpResponse<String> zero = api.get("/pd/api/v1/regions/key?limit=0");
    assertThat(zero.statusCode()).isEqualTo(400);
    assertThat(message(zero)).contains("limit");
  }

  @Test
  void countStoreRegionsAndSiblings() throws Exception {
    JsonNode count = api.getJson("/pd/api/v1/regions/count");
    assertThat(count.get("count").asInt()).isEqualTo(3);
    assertThat(ids(api.getJson("/pd/api/v1/regions/store/1"))).containsExactly(2L, 20L, 40L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/store/2"))).containsExactly(20L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/store/2?type=learner"))).containsExactly(20L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/store/2?type=leader"))).isEmpty();
    assertThat(ids(api.getJson("/pd/api/v1/regions/store/9"))).isEmpty();
    HttpResponse<String> badType = api.get("/pd/api/v1/regions/store/1?type=voterz");
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(message(badType)).contains("voterz");
    assertThat(api.get("/pd/api/v1/regions/store/x").statusCode()).isEqualTo(400);

    // PD's tree neighbours: across the hole ["d","f") 20 and 40 are still each other's sibling.
    assertThat(ids(api.getJson("/pd/api/v1/regions/sibling/20"))).containsExactly(2L, 40L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/sibling/40"))).containsExactly(20L);
    assertThat(ids(api.getJson("/pd/api/v1/regions/sibling/2"))).containsExactly(20L);
    assertThat(api.get("/pd/api/v1/regions/sibling/999").statusCode()).isEqualTo(404);
    assertThat(api.get("/pd/api/v1/regions/sibling/x").statusCode()).isEqualTo(400);
  }

  @Test
  void clusterStatusOfABootstrappedCluster() throws Exception {
    JsonNode s = api.getJson("/pd/api/v1/cluster/status");
    OffsetDateTime t = OffsetDateTime.parse(s.get("raft_bootstrap_time").asText());
    assertThat(Duration.between(t, OffsetDateTime.now()).abs()).isLessThan(Duration.ofMinutes(5));
    assertThat(s.get("is_initialized").asBoolean()).isTrue();
    assertThat(s.get("replication_status").isTextual()).isTrue();
    assertThat(s.get("replication_status").asText()).isEmpty();
    assertThat(fieldNames(s))
        .containsExactly("raft_bootstrap_time", "is_initialized", "replication_status");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void clusterStatusBeforeBootstrap(@TempDir Path other) throws Exception {
    try (TestPd fresh = TestPd.start(other)) {
      JsonNode s = new ApiClient(fresh).getJson("/pd/api/v1/cluster/status");
      assertThat(s.get("raft_bootstrap_time").asText()).isEqualTo("0001-01-01T00:00:00Z");
      assertThat(s.get("replication_status").asText()).isEmpty();
      assertThat(s.get("is_initialized").asBoolean()).isFalse();
      // One region with one voter is not initialized while max-replicas is 3.
      fresh.bootstrap();
      JsonNode after = new ApiClient(fresh).getJson("/pd/api/v1/cluster/status");
      assertThat(after.get("raft_bootstrap_time").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
      assertThat(after.get("is_initialized").asBoolean()).isFalse();
    }
  }
}
