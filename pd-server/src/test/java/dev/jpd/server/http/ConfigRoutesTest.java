package dev.jpd.server.http;

import static dev.jpd.server.http.ApiClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.server.ServerOptions;
import dev.jpd.server.config.PdConfig;
import dev.jpd.server.storage.EtcdMetaStore;
import dev.jpd.server.testing.EtcdHarness;
import dev.jpd.server.testing.TestPd;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The config routes over a real port, on the embedded MetaStore, across restarts. */
@Timeout(60)
class ConfigRoutesTest {
  @TempDir Path dir;
  TestPd pd;
  ApiClient api;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    api = new ApiClient(pd);
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  PdConfig live() {
    return pd.server().config().current();
  }

  @Test
  void getsUsePdsShapes() throws Exception {
    JsonNode all = api.getJson("/pd/api/v1/config");
    assertThat(all.at("/schedule/max-store-down-time").asText()).isEqualTo("30m0s");
    assertThat(all.at("/replication/max-replicas").asInt()).isEqualTo(3);
    assertThat(all.at("/replication/enable-placement-rules").asText()).isEqualTo("true");
    assertThat(all.at("/pd-server/key-type").asText()).isEqualTo("table");
    assertThat(api.getJson("/pd/api/v1/config/default").at("/schedule/leader-schedule-limit").asInt())
        .isEqualTo(4);
    assertThat(api.getJson("/pd/api/v1/config/schedule").get("max-merge-region-size").asInt())
        .isEqualTo(54);
    assertThat(api.getJson("/pd/api/v1/config/replicate").get("location-labels").asText()).isEmpty();
    assertThat(api.getJson("/pd/api/v1/config/pd-server").get("use-region-storage").asText())
        .isEqualTo("true");
  }

  @Test
  void postSetsBareAndDottedKeysLiveAndTheySurviveARestart() throws Exception {
    HttpResponse<String> r = api.post("/pd/api/v1/config",
        "{\"max-replicas\": 5, \"schedule.max-merge-region-size\": 30,"
            + " \"enable-one-way-merge\": \"true\", \"max-store-down-time\": \"1h\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(message(r)).isEqualTo("The config is updated.");
    assertThat(live().replication().maxReplicas()).isEqualTo(5);
    assertThat(live().schedule().maxMergeRegionSize()).isEqualTo(30);
    assertThat(live().schedule().enableOneWayMerge()).isTrue();
    assertThat(live().schedule().maxStoreDownTime()).isEqualTo(Duration.ofHours(1));
    assertThat(api.getJson("/pd/api/v1/config/replicate").get("max-replicas").asInt()).isEqualTo(5);

    pd.restart();
    // The file (here: the defaults) says 3; the persisted value wins, as in PD.
    assertThat(pd.server().options().config().replication().maxReplicas()).isEqualTo(3);
    assertThat(live().replication().maxReplicas()).isEqualTo(5);
    assertThat(live().schedule().maxMergeRegionSize()).isEqualTo(30);
    assertThat(live().schedule().enableOneWayMerge()).isTrue();
    assertThat(live().schedule().maxStoreDownTime()).isEqualTo(Duration.ofHours(1));
    assertThat(api.getJson("/pd/api/v1/config").at("/schedule/max-store-down-time").asText())
        .isEqualTo("1h0m0s");
  }

  @Test
  void bootstrapUsesTheLiveMaxReplicas() throws Exception {
    assertThat(api.post("/pd/api/v1/config", "{\"max-replicas\": 1}").statusCode()).isEqualTo(200);
    pd.bootstrap();
    assertThat(api.getJson("/pd/api/v1/cluster").get("max_peer_count").asInt()).isEqualTo(1);
    // One region with one voter: initialized now that one replica is enough.
    assertThat(api.getJson("/pd/api/v1/cluster/status").get("is_initialized").asBoolean()).isTrue();
  }

  @Test
  void sectionPostsTakeTheirSectionsKeys() throws Exception {
    assertThat(api.post("/pd/api/v1/config/schedule", "{\"leader-schedule-limit\": 8}").statusCode())
        .isEqualTo(200);
    assertThat(api.post("/pd/api/v1/config/replicate",
        "{\"location-labels\": \"zone,host\", \"isolation-level\": \"zone\"}").statusCode())
        .isEqualTo(200);
    assertThat(live().schedule().leaderScheduleLimit()).isEqualTo(8);
    assertThat(live().replication().locationLabels()).containsExactly("zone", "host");
    assertThat(api.getJson("/pd/api/v1/config/replicate").get("location-labels").asText())
        .isEqualTo("zone,host");
    // A schedule key is not a replication key.
    HttpResponse<String> wrong = api.post("/pd/api/v1/config/replicate", "{\"leader-schedule-limit\": 9}");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(message(wrong)).contains("replication.leader-schedule-limit");
    assertThat(live().schedule().leaderScheduleLimit()).isEqualTo(8);
  }

  @Test
  void badKeysAndValuesChangeNothingLiveOrStored() throws Exception {
    assertThat(api.post("/pd/api/v1/config", "{\"max-replicas\": 4}").statusCode()).isEqualTo(200);
    PdConfig before = live();
    String shownBefore = api.get("/pd/api/v1/config").body();

    assertRefused("{\"max-replicaz\": 5}", "max-replicaz", "did you mean max-replicas");
    assertRefused("{\"max-replicas\": -1}", "replication.max-replicas", "-1");
    assertRefused("{\"max-replicas\": \"five\"}", "replication.max-replicas", "five");
    assertRefused("{\"schedule.max-store-down-time\": \"soon\"}", "max-store-down-time", "soon");
    assertRefused("{\"schedule.no-such-key\": 1}", "schedule.no-such-key", "unknown");
    assertRefused("{\"pd-server.key-type\": \"raw\"}", "pd-server.key-type", "run time");
    assertRefused("{\"name\": \"other\"}", "name", "not found");
    // All or nothing: the good first item is not applied when the second is bad.
    assertRefused("{\"max-replicas\": 7, \"leader-schedule-limit\": -2}", "leader-schedule-limit", "-2");
    assertRefused("[1, 2]", "JSON object", "[1,2]");
    assertRefused("{not json", "not valid JSON", "");
    assertRefused("{}", "no config item", "");

    assertThat(live()).isSameAs(before);
    assertThat(api.get("/pd/api/v1/config").body()).isEqualTo(shownBefore);
    pd.restart();
    assertThat(live().replication().maxReplicas()).isEqualTo(4);
    assertThat(live().schedule().leaderScheduleLimit()).isEqualTo(4);
  }

  @Test
  void onEtcdTheChangeIsStoredAsPdsJsonAndSurvivesARestart(@TempDir Path other) throws Exception {
    try (EtcdHarness etcd = EtcdHarness.start();
        TestPd onEtcd =
            TestPd.start(ServerOptions.forTest(other).withEtcd(List.of(etcd.endpoint())))) {
      ApiClient etcdApi = new ApiClient(onEtcd);
      assertThat(etcdApi.post("/pd/api/v1/config/replicate", "{\"max-replicas\": 1}").statusCode())
          .isEqualTo(200);
      assertThat(etcdApi.post("/pd/api/v1/config", "{\"enable-cross-table-merge\": \"false\"}")
          .statusCode()).isEqualTo(200);
      String key = onEtcd.server().cluster().keys().config();
      try (EtcdMetaStore client = EtcdMetaStore.connect(List.of(etcd.endpoint()), Duration.ofSeconds(5))) {
        JsonNode stored = ApiClient.JSON.readTree(client.get(key).orElseThrow());
        assertThat(stored.at("/replication/max-replicas").asInt()).isEqualTo(1);
        assertThat(stored.at("/schedule/enable-cross-table-merge").asText()).isEqualTo("false");
      }
      onEtcd.restart();
      PdConfig after = onEtcd.server().config().current();
      assertThat(after.replication().maxReplicas()).isEqualTo(1);
      assertThat(after.schedule().enableCrossTableMerge()).isFalse();
      assertThat(new ApiClient(onEtcd).getJson("/pd/api/v1/config/schedule")
          .get("enable-cross-table-merge").asText()).isEqualTo("false");
    }
  }

  private void assertRefused(String body, String names, String value) throws Exception {
    HttpResponse<String> r = api.post("/pd/api/v1/config", body);
    assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
    assertThat(message(r)).contains(names).contains(value);
  }
}
