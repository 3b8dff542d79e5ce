package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.proto.Metapb;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class RegionLabelRoutesTest {
  static final String RULES = "/pd/api/v1/config/region-label/rules";
  static final String RULE = "/pd/api/v1/config/region-label/rule";
  // region 2 ["", "b"), 20 ["b", "d"), 40 ["d", "")
  static final Metapb.Region A = TestPd.region(2, "", "b", 1, 3, TestPd.peer(3, 1));
  static final Metapb.Region B = TestPd.region(20, "b", "d", 1, 3, TestPd.peer(21, 1));
  static final Metapb.Region D = TestPd.region(40, "d", "", 1, 3, TestPd.peer(41, 1));
  // schedule=deny over ["b", "d") = hex 62..64
  static final String DENY_B =
      "{\"id\": \"deny-b\", \"index\": 2, \"labels\": [{\"key\": \"schedule\", \"value\": \"deny\"}],"
          + " \"rule_type\": \"key-range\", \"data\": [{\"start_key\": \"62\", \"end_key\": \"64\"}]}";

  @TempDir Path dir;
  TestPd pd;
  ApiClient api;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.bootstrap();
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

  @AfterEach
  void stop() {
    pd.close();
  }

  @Test
  void aRuleLabelsItsRegionsAndSurvivesARestart() throws Exception {
    HttpResponse<String> r = api.post(RULE, DENY_B);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiClient.message(r)).isEqualTo("Update region label rule successfully.");

    JsonNode rule = api.getJson(RULE + "/deny-b");
    assertThat(rule.get("id").asText()).isEqualTo("deny-b");
    assertThat(rule.get("index").asInt()).isEqualTo(2);
    assertThat(rule.get("rule_type").asText()).isEqualTo("key-range");
    assertThat(rule.at("/labels/0/key").asText()).isEqualTo("schedule");
    assertThat(rule.at("/labels/0/ttl").isMissingNode()).isTrue();
    assertThat(rule.at("/data/0/start_key").asText()).isEqualTo("62");
    assertThat(rule.at("/data/0/end_key").asText()).isEqualTo("64");

    assertLabelled();
    pd.restart();
    assertLabelled();
    assertThat(api.getJson(RULES).size()).isEqualTo(1);
  }

  private void assertLabelled() throws Exception {
    JsonNode labels = api.getJson("/pd/api/v1/region/id/20/labels");
    assertThat(labels.toString()).isEqualTo("[{\"key\":\"schedule\",\"value\":\"deny\"}]");
    assertThat(api.getJson("/pd/api/v1/region/id/20/label/schedule").asText()).isEqualTo("deny");
    assertThat(api.getJson("/pd/api/v1/region/id/2/labels").size()).isZero();
    assertThat(api.getJson("/pd/api/v1/region/id/40/label/schedule").asText()).isEmpty();
    var regions = pd.server().cluster().regions();
    assertThat(pd.server().regionLabeler().scheduleDenied(regions.getRegion(20))).isTrue();
    assertThat(pd.server().regionLabeler().scheduleDenied(regions.getRegion(40))).isFalse();
  }

  static Stream<Arguments> badRules() {
    return Stream.of(
        Arguments.of("not JSON", "{", "not valid JSON"),
        Arguments.of("not an object", "[1]", "must be a JSON object"),
        Arguments.of("empty id", DENY_B.replace("\"deny-b\"", "\"\""), "empty rule id"),
        Arguments.of("bad hex", DENY_B.replace("\"62\"", "\"6x\""), "invalid hex key \"6x\""),
        Arguments.of("odd hex", DENY_B.replace("\"62\"", "\"625\""), "invalid hex key \"625\""),
        Arguments.of("unknown rule type", DENY_B.replace("key-range", "key-list"), "invalid rule type"),
        Arguments.of("start after end", DENY_B.replace("\"62\"", "\"66\""), "endKey should be greater"),
        Arguments.of("no labels", DENY_B.replace("{\"key\": \"schedule\", \"value\": \"deny\"}", ""),
            "no region labels"),
        Arguments.of("bad ttl", DENY_B.replace("\"value\": \"deny\"", "\"value\": \"deny\", \"ttl\": \"1 day\""),
            "invalid ttl"),
        Arguments.of("range not an object", DENY_B.replace("{\"start_key\": \"62\", \"end_key\": \"64\"}", "\"62\""),
            "a key range must be"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRules")
  void aBadRuleIs400AndChangesNothing(String name, String body, String msg) throws Exception {
    api.post(RULE, DENY_B.replace("deny-b", "keep"));
    HttpResponse<String> r = api.post(RULE, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(ApiClient.message(r)).contains(msg);
    HttpResponse<String> p = api.send("PATCH", RULES, "{\"sets\": [" + body + "], \"deletes\": [\"keep\"]}");
    assertThat(p.statusCode()).as(p.body()).isEqualTo(400);
    assertThat(ApiClient.message(p)).contains(msg);
    JsonNode all = api.getJson(RULES);
    assertThat(all.size()).isEqualTo(1);
    assertThat(all.at("/0/id").asText()).isEqualTo("keep");
  }

  @Test
  void patchSetsAndDeletesTogether() throws Exception {
    api.post(RULE, DENY_B);
    String other = DENY_B.replace("deny-b", "nomerge").replace("schedule", "merge_option")
        .replace("\"62\"", "\"\"").replace("\"64\"", "\"62\"");
    HttpResponse<String> r = api.send("PATCH", RULES, "{\"sets\": [" + other + "], \"deletes\": [\"deny-b\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiClient.message(r)).isEqualTo("Update region label rules successfully.");
    assertThat(api.getJson(RULES).findValuesAsText("id")).containsExactly("nomerge");
    assertThat(api.getJson("/pd/api/v1/region/id/2/label/merge_option").asText()).isEqualTo("deny");
    assertThat(api.getJson("/pd/api/v1/region/id/20/labels").size()).isZero();
    var regions = pd.server().cluster().regions();
    assertThat(pd.server().regionLabeler().mergeDenied(regions.getRegion(2), regions.getRegion(20))).isTrue();
    assertThat(pd.server().regionLabeler().mergeDenied(regions.getRegion(20), regions.getRegion(40))).isFalse();
  }

  @Test
  void rulesByIdsReadsTheBodyOfAGet() throws Exception {
    api.post(RULE, DENY_B);
    api.post(RULE, DENY_B.replace("deny-b", "two"));
    HttpResponse<String> r = api.send("GET", RULES + "/ids", "[\"two\", \"missing\", \"deny-b\"]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiClient.JSON.readTree(r.body()).findValuesAsText("id")).containsExactly("two", "deny-b");
    assertThat(api.send("GET", RULES + "/ids", "{\"id\": 1}").statusCode()).isEqualTo(400);
  }

  @Test
  void deleteAndNotFound() throws Exception {
    api.post(RULE, DENY_B.replace("deny-b", "keyspaces/7"));
    assertThat(api.getJson(RULE + "/keyspaces%2F7").get("id").asText()).isEqualTo("keyspaces/7");
    HttpResponse<String> d = api.send("DELETE", RULE + "/keyspaces%2F7", null);
    assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
    assertThat(d.body()).isEqualTo("Delete rule successfully.");
    assertThat(api.send("DELETE", RULE + "/keyspaces%2F7", null).statusCode()).isEqualTo(404);
    HttpResponse<String> g = api.get(RULE + "/nope");
    assertThat(g.statusCode()).isEqualTo(404);
    assertThat(ApiClient.message(g)).contains("\"nope\" not found");
    assertThat(api.get("/pd/api/v1/region/id/99/labels").statusCode()).isEqualTo(404);
    assertThat(api.get("/pd/api/v1/region/id/x/label/k").statusCode()).isEqualTo(400);
    pd.restart();
    assertThat(api.getJson(RULES).size()).isZero();
  }
}
