package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.core.placement.Rule;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * Placement rules in the daemon: PD's HTTP API (reads, writes, bundles, a region's fit, bad
 * input), the default rule following {@code [replication]}, rules surviving a restart.
 */
@Timeout(60)
class RuleRoutesTest {
  private static final String C = "/pd/api/v1/config";
  private static final String LEARNER_RULE = "{\"group_id\": \"tiflash\", \"id\": \"learners\","
      + " \"role\": \"learner\", \"count\": 1, \"start_key\": \"\", \"end_key\": \"\","
      + " \"label_constraints\": [{\"key\": \"engine\", \"op\": \"in\", \"values\": [\"tiflash\"]}]}";

  @TempDir Path dir;
  TestPd pd;
  ApiClient api;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.pauseCheckers();
    api = new ApiClient(pd);
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  private List<String> ruleKeys() throws Exception {
    List<String> out = new ArrayList<>();
    api.getJson(C + "/rules").forEach(r -> out.add(r.get("group_id").asText() + "/" + r.get("id").asText()));
    return out;
  }

  @Test
  void theDefaultRuleIsServedAndARuleCanBeAddedReadAndDeleted() throws Exception {
    JsonNode def = api.getJson(C + "/rule/pd/default");
    assertThat(def.get("role").asText()).isEqualTo("voter");
    assertThat(def.get("count").asInt()).isEqualTo(3);

    HttpResponse<String> r = api.post(C + "/rule", LEARNER_RULE);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiClient.message(r)).isEqualTo("Update rule successfully.");
    assertThat(ruleKeys()).containsExactlyInAnyOrder("pd/default", "tiflash/learners");
    assertThat(api.getJson(C + "/rules/group/tiflash")).hasSize(1);
    assertThat(api.getJson(C + "/rules/key/6161")).hasSize(2);
    assertThat(api.getJson(C + "/rule_groups")).isNotNull();

    r = api.send("DELETE", C + "/rule/tiflash/learners", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ruleKeys()).containsExactly("pd/default");
    assertThat(api.get(C + "/rule/tiflash/learners").statusCode()).isEqualTo(404);
  }

  @Test
  void batchAndBundlesApplyAllOrNothing() throws Exception {
    HttpResponse<String> r = api.post(C + "/rules/batch", "[{\"action\": \"add\", \"rule\": "
        + LEARNER_RULE + "}, {\"action\": \"add\", \"rule\": {\"group_id\": \"x\", \"id\": \"y\","
        + " \"role\": \"voter\", \"count\": 0}}]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(ruleKeys()).as("nothing added").containsExactly("pd/default");

    r = api.post(C + "/placement-rule/tiflash", "{\"group_index\": 2, \"rules\": [" + LEARNER_RULE + "]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode bundle = api.getJson(C + "/placement-rule/tiflash");
    assertThat(bundle.get("group_index").asInt()).isEqualTo(2);
    assertThat(bundle.get("rules")).hasSize(1);
    assertThat(api.getJson(C + "/rule_group/tiflash").get("index").asInt()).isEqualTo(2);

    r = api.send("DELETE", C + "/placement-rule/tiflash", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ruleKeys()).containsExactly("pd/default");
  }

  @Test
  void aRegionsRulesAndFitAreShown() throws Exception {
    pd.bootstrap();
    pd.putStore(2);
    pd.putStore(3);
    try (RegionHeartbeatStream stream = pd.heartbeats()) {
      var region = TestPd.regionOnThreeStores();
      stream.send(pd.heartbeat(region, region.getPeers(0)));
      Await.until("the region cached with 3 peers", Duration.ofSeconds(10),
          () -> pd.server().cluster().regions().getRegion(2).peers().size() == 3);
    }
    assertThat(api.getJson(C + "/rules/region/2")).hasSize(1);
    JsonNode fit = api.getJson(C + "/rules/region/2/detail");
    assertThat(fit.get("satisfied").asBoolean()).isTrue();
    assertThat(fit.get("rule_fits").get(0).get("peers")).hasSize(3);
    assertThat(fit.get("orphan_peers")).isEmpty();
    assertThat(api.get(C + "/rules/region/99").statusCode()).isEqualTo(404);
  }

  static Stream<Arguments> badRules() {
    return Stream.of(
        Arguments.of("{\"group_id\": \"g\", \"id\": \"r\", \"role\": \"voter\", \"count\": 0}", "count"),
        Arguments.of("{\"group_id\": \"g\", \"id\": \"r\", \"role\": \"boss\", \"count\": 1}", "role"),
        Arguments.of("{\"group_id\": \"g\", \"id\": \"r\", \"role\": \"leader\", \"count\": 2}", "leader"),
        Arguments.of("{\"group_id\": \"g\", \"id\": \"r\", \"role\": \"voter\", \"count\": 1,"
            + " \"start_key\": \"zz\"}", "hex"),
        Arguments.of("{\"group_id\": \"g\", \"id\": \"r\", \"role\": \"voter\", \"count\": \"1\"}", "count"),
        Arguments.of("[1]", "object"));
  }

  @ParameterizedTest
  @MethodSource("badRules")
  void aBadRuleIsRefusedNamingTheProblemAndChangesNothing(String body, String word)
      throws Exception {
    HttpResponse<String> r = api.post(C + "/rule", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(ApiClient.message(r).toLowerCase()).contains(word);
    assertThat(ruleKeys()).containsExactly("pd/default");
  }

  @Test
  void theDefaultRuleFollowsMaxReplicasSetOverHttp() throws Exception {
    assertThat(pd.server().ruleManager().rule("pd", "default").count()).isEqualTo(3);
    HttpResponse<String> r = api.post("/pd/api/v1/config", "{\"max-replicas\": 5}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(pd.server().ruleManager().rule("pd", "default").count()).isEqualTo(5);
  }

  @Test
  void rulesSurviveARestart() {
    pd.server().ruleManager().setRule(Rule.of("g", "learners", "learner", 2, "10", "20"));
    pd.restart();
    Rule back = pd.server().ruleManager().rule("g", "learners");
    assertThat(back).isNotNull();
    assertThat(back.count()).isEqualTo(2);
    assertThat(pd.server().ruleManager().rules()).hasSize(2);
  }

  @Test
  void removingTheLastVoterRuleIsRefused() throws Exception {
    HttpResponse<String> r = api.send("DELETE", C + "/rule/pd/default", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(ruleKeys()).containsExactly("pd/default");
  }

  @Test
  void everyRouteAnswers412WhilePlacementRulesAreOff() throws Exception {
    HttpResponse<String> r = api.post(C + "/replicate", "{\"enable-placement-rules\": false}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    r = api.get(C + "/rules");
    assertThat(r.statusCode()).isEqualTo(412);
    assertThat(ApiClient.message(r)).contains("placement rules feature is disabled");
  }
}
