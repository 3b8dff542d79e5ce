package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.core.operator.Operator;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import io.micrometer.core.instrument.Counter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The patrol wired into the daemon, seen from outside: a region reported short of a replica gets
 * a make-up-replica operator on its heartbeat stream; checkers pause and resume over HTTP; a
 * region explains what each checker saw and why it built nothing.
 */
class CheckerRoutesTest {
  private static final String V1 = "/pd/api/v1";
  @TempDir Path dir;
  TestPd pd;
  ApiClient api;
  RegionHeartbeatStream stream;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.bootstrapThreeStores();
    api = new ApiClient(pd);
    stream = pd.heartbeats();
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  /** Region 2 on stores 1 and 2 (max-replicas 3): one replica short. */
  private Metapb.Region twoPeers() {
    return TestPd.region(2, "", "", 2, 1, TestPd.peer(3, 1), TestPd.peer(4, 2));
  }

  private void report(Metapb.Region region) {
    stream.send(pd.heartbeat(region, region.getPeers(0)));
  }

  private double events(String type, String name) {
    Counter c = pd.server().metrics().find("pd_checker_event_count")
        .tag("type", type).tag("name", name).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aRegionShortOfAReplicaGetsAMakeUpReplicaOperatorOnItsStream() throws Exception {
    report(twoPeers());
    Pdpb.RegionHeartbeatResponse cmd = stream.next(Duration.ofSeconds(10));
    assertThat(cmd).as("a command for the region").isNotNull();
    assertThat(cmd.getRegionId()).isEqualTo(2);
    Optional<Operator> op = pd.server().operators().get(2);
    assertThat(op).isPresent();
    assertThat(op.get().desc()).isEqualTo("add-rule-peer");
    Pdpb.ChangePeer change = cmd.hasChangePeerV2()
        ? cmd.getChangePeerV2().getChanges(0)
        : Pdpb.ChangePeer.newBuilder().setPeer(cmd.getChangePeer().getPeer())
            .setChangeType(cmd.getChangePeer().getChangeType()).build();
    assertThat(change.getPeer().getStoreId()).as("the only store without a peer").isEqualTo(3);
    assertThat(change.getChangeType()).isEqualTo(dev.jpd.proto.Eraftpb.ConfChangeType.AddLearnerNode);
  }

  @Test
  void aPausedCheckerBuildsNothingUntilResumed() throws Exception {
    HttpResponse<String> r = api.post(V1 + "/checker/rule", "{\"delay\": 3600}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(ApiClient.message(r)).isEqualTo("Pause the checker successfully.");
    assertThat(api.getJson(V1 + "/checker/rule").get("paused").asBoolean()).isTrue();
    assertThat(api.getJson(V1 + "/checker/merge").get("paused").asBoolean()).isFalse();

    report(twoPeers());
    Await.until("the patrol to find the replica checker paused", Duration.ofSeconds(10),
        () -> events("rule_checker", "paused") > 0);
    assertThat(pd.server().operators().get(2)).isEmpty();
    JsonNode replica = checker(api.getJson(V1 + "/regions/2/diagnose"), "rule");
    assertThat(replica.get("result").asText()).isEqualTo("paused");
    assertThat(replica.get("detail").asText()).startsWith("paused until ");

    r = api.post(V1 + "/checker/rule", "{\"delay\": 0}");
    assertThat(ApiClient.message(r)).isEqualTo("Resume the checker successfully.");
    assertThat(api.getJson(V1 + "/checker/rule").get("paused").asBoolean()).isFalse();
    Await.until("the make-up-replica operator after resuming", Duration.ofSeconds(10),
        () -> pd.server().operators().get(2).isPresent());
    assertThat(pd.server().operators().get(2).get().desc()).isEqualTo("add-rule-peer");
  }

  @Test
  void aRegionWithNoStoreLeftForItsReplicaSaysWhyEachStoreWasRefused() throws Exception {
    HttpResponse<String> r = api.post(V1 + "/config/replicate", "{\"max-replicas\": 4}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Metapb.Region three = TestPd.regionOnThreeStores();
    report(three);
    Await.until("the PD to cache the region", Duration.ofSeconds(10),
        () -> pd.server().cluster().regions().getRegion(2).peers().size() == 3);

    JsonNode d = api.getJson(V1 + "/regions/2/diagnose");
    assertThat(d.get("region_id").asLong()).isEqualTo(2);
    assertThat(d.get("running_operator").isNull()).isTrue();
    assertThat(d.get("operators")).isEmpty();
    List<String> order = new ArrayList<>();
    d.get("checkers").forEach(c -> order.add(c.get("checker").asText()));
    assertThat(order).containsSubsequence("joint-state", "split", "rule", "merge");
    JsonNode replica = checker(d, "rule");
    assertThat(replica.get("result").asText()).isEqualTo("no-target-store");
    Await.until("the region in the priority list (missing a replica)", Duration.ofSeconds(10),
        () -> pd.server().metrics().get("pd_checker_region_list").tag("type", "priority_list")
            .gauge().value() == 1);
    List<Long> rejected = new ArrayList<>();
    replica.get("rejected_stores").forEach(s -> {
      rejected.add(s.get("store_id").asLong());
      assertThat(s.get("reason").asText()).isNotEmpty();
    });
    assertThat(rejected).containsExactlyInAnyOrder(1L, 2L, 3L);
  }

  @Test
  void aScheduleDenyLabelKeepsTheCheckersAwayAndTheDiagnosisSaysSo() throws Exception {
    HttpResponse<String> r = api.post(V1 + "/config/region-label/rule", "{\"id\": \"keep-out\","
        + " \"labels\": [{\"key\": \"schedule\", \"value\": \"deny\"}],"
        + " \"rule_type\": \"key-range\", \"data\": [{\"start_key\": \"\", \"end_key\": \"\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    report(twoPeers());
    Await.until("the patrol to check the region", Duration.ofSeconds(10),
        () -> events("joint_state_checker", "check") > 0);
    assertThat(pd.server().operators().get(2)).as("denied: no make-up-replica").isEmpty();
    JsonNode d = api.getJson(V1 + "/regions/2/diagnose");
    assertThat(checker(d, "schedule-deny").get("result").asText()).isEqualTo("schedule-deny");
    assertThat(d.get("operators")).isEmpty();

    r = api.send("DELETE", V1 + "/config/region-label/rule/keep-out", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Await.until("the make-up-replica operator once the label is gone", Duration.ofSeconds(10),
        () -> pd.server().operators().get(2).isPresent());
  }

  @Test
  void aRegionCrossingALabelRuleBoundaryIsSplitThere() throws Exception {
    HttpResponse<String> r = api.post(V1 + "/config/region-label/rule", "{\"id\": \"table-a\","
        + " \"labels\": [{\"key\": \"owner\", \"value\": \"a\"}],"
        + " \"rule_type\": \"key-range\", \"data\": [{\"start_key\": \"61\", \"end_key\": \"62\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    report(TestPd.regionOnThreeStores());
    Pdpb.RegionHeartbeatResponse cmd = stream.next(Duration.ofSeconds(10));
    assertThat(cmd).as("a split command").isNotNull();
    assertThat(pd.server().operators().get(2).get().desc()).isEqualTo("labeler-split-region");
    assertThat(cmd.getSplitRegion().getPolicy()).isEqualTo(Pdpb.CheckPolicy.USEKEY);
    assertThat(cmd.getSplitRegion().getKeysList()).extracting(k -> k.toStringUtf8())
        .containsExactly("a", "b");
  }

  @Test
  void diagnosingAnUnknownRegionIsNotFound() throws Exception {
    HttpResponse<String> r = api.get(V1 + "/regions/99/diagnose");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(ApiClient.message(r)).contains("region 99");
  }

  static Stream<Arguments> badPauses() {
    return Stream.of(
        Arguments.of("/checker/replica", "{}", "missing pause time"),
        Arguments.of("/checker/replica", "{\"delay\": -1}", "invalid delay -1"),
        Arguments.of("/checker/replica", "{\"delay\": \"soon\"}", "invalid delay"),
        Arguments.of("/checker/replica", "{\"delay\": 1.5}", "invalid delay"),
        Arguments.of("/checker/bogus", "{\"delay\": 10}", "unknown checker \"bogus\""),
        Arguments.of("/checker/replica", "not json", "request body is not valid JSON"));
  }

  @ParameterizedTest
  @MethodSource("badPauses")
  void aBadPauseIsRefusedNamingTheProblemAndPausesNothing(String path, String body,
      String message) throws Exception {
    HttpResponse<String> r = api.post(V1 + path, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(ApiClient.message(r)).contains(message);
    assertThat(pd.server().checkerChain().paused()).isEmpty();
  }

  @Test
  void anUnknownCheckersStatusIsABadRequestListingTheKnownOnes() throws Exception {
    HttpResponse<String> r = api.get(V1 + "/checker/bogus");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiClient.message(r)).contains("replica").contains("merge");
  }

  @Test
  void accelerateScheduleTakesHexRangesAndRefusesBadOnes() throws Exception {
    HttpResponse<String> r = api.post(V1 + "/regions/accelerate-schedule",
        "{\"start_key\": \"61\", \"end_key\": \"\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    r = api.post(V1 + "/regions/accelerate-schedule", "{\"start_key\": \"zz\", \"end_key\": \"\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiClient.message(r)).contains("start_key").contains("not hex");
    r = api.post(V1 + "/regions/accelerate-schedule",
        "{\"start_key\": \"62\", \"end_key\": \"61\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    r = api.post(V1 + "/regions/accelerate-schedule/batch",
        "[{\"start_key\": \"61\", \"end_key\": \"62\"}, {\"start_key\": \"x\", \"end_key\": \"\"}]");
    assertThat(r.statusCode()).isEqualTo(400);
  }

  private static JsonNode checker(JsonNode diagnosis, String name) {
    for (JsonNode c : diagnosis.get("checkers")) {
      if (c.get("checker").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no " + name + " checker in " + diagnosis);
  }
}
