package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A placement rule written over HTTP whose boundaries fall inside a region: the daemon's patrol
 * splits the region there ({@code rule-split-region}) through its heartbeat stream, and the
 * diagnosis of the split checker says so; with placement rules off the boundary is ignored.
 */
@Timeout(60)
class RuleSplitTest {
  static final String V1 = "/pd/api/v1";
  @TempDir Path dir;
  TestPd pd;
  ApiClient api;
  RegionHeartbeatStream stream;
  Metapb.Region three;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.bootstrapThreeStores();
    api = new ApiClient(pd);
    stream = pd.heartbeats();
    three = TestPd.regionOnThreeStores();
    stream.send(pd.heartbeat(three, three.getPeers(0)));
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  /** A voter rule over ["m", "t"): two boundaries inside region 2, which spans every key. */
  static final String RULE = "{\"group_id\": \"pd\", \"id\": \"mt\", \"index\": 1,"
      + " \"start_key\": \"6d\", \"end_key\": \"74\", \"role\": \"voter\", \"count\": 3}";

  @Test
  void aRuleBoundaryInsideTheRegionSplitsItThere() throws Exception {
    HttpResponse<String> r = api.post(V1 + "/config/rule", RULE);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Pdpb.RegionHeartbeatResponse cmd = stream.next(Duration.ofSeconds(10));
    assertThat(cmd).as("a command for region 2").isNotNull();
    assertThat(cmd.getRegionId()).isEqualTo(2);
    assertThat(cmd.getSplitRegion().getPolicy()).isEqualTo(Pdpb.CheckPolicy.USEKEY);
    assertThat(cmd.getSplitRegion().getKeysList())
        .containsExactly(ByteString.copyFromUtf8("m"), ByteString.copyFromUtf8("t"));
    assertThat(pd.server().operators().get(2).orElseThrow().desc())
        .isEqualTo("rule-split-region");
    var split = api.getJson(V1 + "/regions/2/diagnose").get("checkers").get(1);
    assertThat(split.get("checker").asText()).isEqualTo("split");
    assertThat(split.get("saw").toString()).contains("2 placement rule boundaries");
  }

  @Test
  void withPlacementRulesOffTheBoundaryIsIgnored() throws Exception {
    HttpResponse<String> r = api.post(V1 + "/config/rule", RULE);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // the patrol may have split already: only the dry run after switching rules off counts
    r = api.post(V1 + "/config/replicate", "{\"enable-placement-rules\": false}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var d = api.getJson(V1 + "/regions/2/diagnose");
    assertThat(d.get("operators")).isEmpty();
    assertThat(d.get("checkers").get(1).get("result").asText()).isEqualTo("nothing-to-do");
  }
}
