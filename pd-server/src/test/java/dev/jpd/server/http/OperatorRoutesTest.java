package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.core.operator.BuilderCluster;
import dev.jpd.core.operator.LimitType;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorCreator;
import dev.jpd.core.storelimit.StoreLimits;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.scheduler.operator.OperatorController;
import dev.jpd.server.testing.StoresView;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
 * The operators API over a real port: region 2 has voters on stores 1 (leader), 2 and 3; store 4
 * is empty. The leader's heartbeat stream is open, so the commands of added operators arrive.
 */
@Timeout(60)
class OperatorRoutesTest {
  private static final String OPS = "/pd/api/v1/operators";

  @TempDir Path dir;
  TestPd pd;
  ApiClient api;
  RegionHeartbeatStream stream;
  Metapb.Region region;

  @BeforeEach
  void start() throws Exception {
    pd = TestPd.start(dir);
    pd.bootstrap();
    for (long s = 2; s <= 4; s++) {
      pd.putStore(s);
    }
    for (long s = 1; s <= 4; s++) {
      pd.storeHeartbeat(s);
    }
    region = TestPd.regionOnThreeStores();
    stream = pd.heartbeats();
    stream.send(pd.heartbeat(region, region.getPeers(0)));
    dev.jpd.server.testing.Await.until("the PD to cache the region", Duration.ofSeconds(10),
        () -> pd.server().cluster().regions().getRegion(2).confVer() == 3);
    api = new ApiClient(pd);
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  @Test
  void anAdminTransferLeaderIsSentListedCheckedCanceledAndRecorded() throws Exception {
    HttpResponse<String> r = api.post(OPS, "{\"name\":\"transfer-leader\",\"region_id\":2,\"to_store_id\":2}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiClient.message(r)).isEqualTo("The operator is created.");

    Pdpb.RegionHeartbeatResponse cmd = stream.next(Duration.ofSeconds(10));
    assertThat(cmd).isNotNull();
    assertThat(cmd.getRegionId()).isEqualTo(2);
    assertThat(cmd.getTargetPeer()).isEqualTo(region.getPeers(0));
    assertThat(cmd.getRegionEpoch()).isEqualTo(region.getRegionEpoch());
    assertThat(cmd.getTransferLeader().getPeer().getStoreId()).isEqualTo(2);

    JsonNode all = api.getJson(OPS);
    assertThat(all).hasSize(1);
    assertThat(all.get(0).asText()).startsWith("admin-transfer-leader {")
        .contains("kind:admin,leader", "region:2(1, 3)", "0:{transfer leader from store 1 to store 2}");
    assertThat(api.getJson(OPS + "?kind=admin")).hasSize(1);
    assertThat(api.getJson(OPS + "?kind=leader")).hasSize(1);
    assertThat(api.getJson(OPS + "?kind=region")).isEmpty();
    JsonNode obj = api.getJson(OPS + "?object").get(0);
    assertThat(obj.get("desc").asText()).isEqualTo("admin-transfer-leader");
    assertThat(obj.get("region_id").asLong()).isEqualTo(2);
    assertThat(obj.at("/region_epoch/conf_ver").asLong()).isEqualTo(3);
    assertThat(obj.get("kind").asInt()).isEqualTo(1 | 1 << 8); // PD's OpAdmin | OpLeader
    assertThat(obj.get("status").asInt()).isEqualTo(1); // PD's STARTED
    assertThat(obj.get("timeout").asText()).isEqualTo("1m0s");
    assertThat(api.getJson(OPS + "/2").asText()).startsWith("status: RUNNING, operator: admin-transfer-leader");

    // An equal-priority operator on the same region is refused and changes nothing.
    r = api.post(OPS, "{\"name\":\"transfer-leader\",\"region_id\":2,\"to_store_id\":3}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    assertThat(api.getJson(OPS).get(0).asText()).contains("to store 2");

    r = api.send("DELETE", OPS + "/2", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(api.getJson(OPS)).isEmpty();
    assertThat(api.getJson(OPS + "/2").asText()).startsWith("status: CANCEL, operator: admin-transfer-leader");
    JsonNode records = api.getJson(OPS + "/records?from=0");
    assertThat(records).hasSize(1);
    assertThat(records.get(0).asText()).contains("admin-transfer-leader", "finishAt:", "duration:");
    long future = System.currentTimeMillis() / 1000 + 3600;
    assertThat(api.getJson(OPS + "/records?from=" + future)).isEmpty();
    assertThat(api.send("DELETE", OPS + "/2", null).statusCode()).isEqualTo(404);
  }

  @Test
  void anOperatorSucceedsWhenTheRegionReportsItDone() throws Exception {
    assertThat(api.post(OPS, "{\"name\":\"transfer-leader\",\"region_id\":2,\"to_store_id\":3}")
        .statusCode()).isEqualTo(200);
    assertThat(stream.next(Duration.ofSeconds(10))).isNotNull();
    try (RegionHeartbeatStream store3 = pd.heartbeats()) {
      store3.send(pd.heartbeat(region, region.getPeers(2)));
      dev.jpd.server.testing.Await.until("the operator to succeed", Duration.ofSeconds(10),
          () -> pd.server().operators().get(2).isEmpty());
    }
    assertThat(api.getJson(OPS + "/2").asText()).startsWith("status: SUCCESS");
    assertThat(api.getJson(OPS)).isEmpty();
    String metrics = api.get("/metrics").body();
    assertThat(metrics).containsPattern(
        "pd_schedule_operators_count_total\\{[^}]*type=\"admin-transfer-leader\"[^}]*} 1\\.0")
        .contains("pd_schedule_finish_operators_duration_seconds_count{type=\"admin-transfer-leader\"} 1")
        .contains("pd_schedule_finish_operator_steps_duration_seconds_count{type=\"TransferLeader\"} 1");
  }

  @Test
  void deleteAllCancelsEveryRunningOperator() throws Exception {
    assertThat(api.post(OPS, "{\"name\":\"add-learner\",\"region_id\":2,\"store_id\":4}").statusCode())
        .isEqualTo(200);
    assertThat(api.getJson(OPS + "?kind=region")).hasSize(1);
    HttpResponse<String> r = api.send("DELETE", OPS, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ApiClient.message(r)).isEqualTo("All pending operators are canceled.");
    assertThat(api.getJson(OPS)).isEmpty();
    assertThat(api.getJson(OPS + "/2").asText()).startsWith("status: CANCEL, operator: admin-add-learner");
  }

  @Test
  void eachAdminOperatorGetsPdsDescription() throws Exception {
    String[][] cases = {
      {"{\"name\":\"add-peer\",\"region_id\":2,\"store_id\":4}", "admin-add-peer"},
      {"{\"name\":\"add-learner\",\"region_id\":2,\"store_id\":4}", "admin-add-learner"},
      {"{\"name\":\"remove-peer\",\"region_id\":2,\"store_id\":3}", "admin-remove-peer"},
      {"{\"name\":\"transfer-peer\",\"region_id\":2,\"from_store_id\":3,\"to_store_id\":4}", "admin-move-peer"},
      {"{\"name\":\"transfer-region\",\"region_id\":2,\"to_store_ids\":[1,2,4]}", "admin-move-region"},
      {"{\"name\":\"split-region\",\"region_id\":2,\"policy\":\"approximate\"}", "admin-split-region"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = api.post(OPS, c[0]);
      assertThat(r.statusCode()).as(c[0] + " -> " + r.body()).isEqualTo(200);
      assertThat(pd.server().operators().get(2)).hasValueSatisfying(op -> {
        assertThat(op.desc()).isEqualTo(c[1]);
        assertThat(op.hasKind(dev.jpd.core.operator.OpKind.ADMIN)).isTrue();
      });
      assertThat(api.send("DELETE", OPS + "/2", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theControllerSpendsTheStoreLimitsSetThroughTheApi() throws Exception {
    HttpResponse<String> r = api.post("/pd/api/v1/store/4/limit", "{\"rate\": 30, \"type\": \"add-peer\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(api.post(OPS, "{\"name\":\"add-learner\",\"region_id\":2,\"store_id\":4}").statusCode())
        .isEqualTo(200);
    StoreLimits limits = ((OperatorController) pd.server().operators()).storeLimits();
    assertThat(limits.peek(4, LimitType.ADD_PEER).ratePerMinute()).isEqualTo(30);

    // A new rate applies to the next operator without a restart.
    assertThat(api.post("/pd/api/v1/stores/limit", "{\"rate\": 45}").statusCode()).isEqualTo(200);
    assertThat(api.send("DELETE", OPS + "/2", null).statusCode()).isEqualTo(200);
    assertThat(api.post(OPS, "{\"name\":\"add-learner\",\"region_id\":2,\"store_id\":4}").statusCode())
        .isEqualTo(200);
    assertThat(limits.peek(4, LimitType.ADD_PEER).ratePerMinute()).isEqualTo(45);
  }

  @Test
  void anOperatorHeldByTheLiveLeaderScheduleLimitIsListedAsWaiting() throws Exception {
    HttpResponse<String> r = api.post("/pd/api/v1/config", "{\"leader-schedule-limit\": 0}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    BuilderCluster view = StoresView.noNewPeers(pd.server());
    Operator op = OperatorCreator.createTransferLeaderOperator("balance-leader", view,
        pd.server().cluster().regions().getRegion(2), 2, java.util.List.of(), 0,
        System.currentTimeMillis()).orElseThrow();
    assertThat(pd.server().operators().addWaiting(op).accepted()).isTrue();

    assertThat(api.getJson(OPS)).isEmpty();
    JsonNode waiting = api.getJson(OPS + "?kind=waiting");
    assertThat(waiting).hasSize(1);
    assertThat(waiting.get(0).asText()).startsWith("balance-leader {");
    assertThat(stream.next(Duration.ZERO)).as("a waiting operator sends nothing").isNull();
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("not json", 400, "not valid JSON"),
        Arguments.of("[1]", 400, "JSON object"),
        Arguments.of("{}", 400, "missing operator name"),
        Arguments.of("{\"name\":\"scatter-everything\",\"region_id\":2}", 400, "unknown operator \"scatter-everything\""),
        Arguments.of("{\"name\":\"transfer-leader\",\"to_store_id\":2}", 400, "missing region id"),
        Arguments.of("{\"name\":\"transfer-leader\",\"region_id\":\"two\",\"to_store_id\":2}", 400, "invalid region_id"),
        Arguments.of("{\"name\":\"transfer-leader\",\"region_id\":-2,\"to_store_id\":2}", 400, "not a positive integer"),
        Arguments.of("{\"name\":\"transfer-leader\",\"region_id\":2.5,\"to_store_id\":2}", 400, "not a positive integer"),
        Arguments.of("{\"name\":\"transfer-leader\",\"region_id\":77,\"to_store_id\":2}", 404, "region 77 not found"),
        Arguments.of("{\"name\":\"transfer-leader\",\"region_id\":2}", 400, "missing store id to transfer leader to"),
        Arguments.of("{\"name\":\"transfer-leader\",\"region_id\":2,\"to_store_id\":4}", 400, "region has no voter in store 4"),
        Arguments.of("{\"name\":\"transfer-region\",\"region_id\":2}", 400, "missing store ids"),
        Arguments.of("{\"name\":\"transfer-region\",\"region_id\":2,\"to_store_ids\":[]}", 400, "missing store ids"),
        Arguments.of("{\"name\":\"transfer-region\",\"region_id\":2,\"to_store_ids\":\"1,2\"}", 400, "invalid store ids"),
        Arguments.of("{\"name\":\"transfer-region\",\"region_id\":2,\"to_store_ids\":[1,2,9]}", 404, "store 9 not found"),
        Arguments.of("{\"name\":\"transfer-region\",\"region_id\":2,\"to_store_ids\":[1,2,4],\"peer_roles\":[\"leader\",\"voter\",\"boss\"]}", 400, "invalid peer role \"boss\""),
        Arguments.of("{\"name\":\"transfer-peer\",\"region_id\":2,\"from_store_id\":4,\"to_store_id\":1}", 400, "region has no peer in store 4"),
        Arguments.of("{\"name\":\"add-peer\",\"region_id\":2,\"store_id\":2}", 400, "region already has peer in store 2"),
        Arguments.of("{\"name\":\"remove-peer\",\"region_id\":2,\"store_id\":4}", 400, "region has no peer in store 4"),
        Arguments.of("{\"name\":\"merge-region\",\"source_region_id\":2}", 400, "invalid target region id to merge to"),
        Arguments.of("{\"name\":\"merge-region\",\"source_region_id\":2,\"target_region_id\":99}", 404, "region 99 not found"),
        Arguments.of("{\"name\":\"split-region\",\"region_id\":2}", 400, "missing split policy"),
        Arguments.of("{\"name\":\"split-region\",\"region_id\":2,\"policy\":\"halves\"}", 400, "check policy halves is not supported"),
        Arguments.of("{\"name\":\"split-region\",\"region_id\":2,\"policy\":\"usekey\",\"keys\":[\"zz\"]}", 400, "split key zz is not in hex format"),
        Arguments.of("{\"name\":\"split-region\",\"region_id\":2,\"policy\":\"usekey\",\"keys\":\"61\"}", 400, "bad format keys"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badBodies")
  void aBadBodyIsRefusedNamingTheProblemAndAddsNothing(String body, int status, String message)
      throws Exception {
    HttpResponse<String> r = api.post(OPS, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(ApiClient.message(r)).contains(message);
    assertThat(api.getJson(OPS)).isEmpty();
    assertThat(stream.next(Duration.ZERO)).isNull();
  }

  @Test
  void badRegionIdsAndKindsInPathsAndQueries() throws Exception {
    assertThat(api.get(OPS + "/x").statusCode()).isEqualTo(400);
    assertThat(api.get(OPS + "/0").statusCode()).isEqualTo(400);
    HttpResponse<String> r = api.get(OPS + "/2");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(ApiClient.message(r)).contains("region 2");
    r = api.get(OPS + "?kind=bogus");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiClient.message(r)).contains("invalid kind \"bogus\"");
    assertThat(api.get(OPS + "/records?from=soon").statusCode()).isEqualTo(400);
    assertThat(api.getJson(OPS + "/records")).isEmpty();
  }
}
