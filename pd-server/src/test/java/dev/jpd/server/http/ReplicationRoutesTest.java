package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Metapb;
import dev.jpd.server.testing.Await;
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
 * {@code GET /regions/replicated} on a daemon: REPLICATED while the region fits its rules,
 * PENDING once a rule asks for more peers than there are stores (the rule checker keeps it in
 * its pending list, which the diagnosis shows), INPROGRESS once a new store lets the checker
 * build the operator; a missing or non-hex key is a 400.
 */
@Timeout(60)
class ReplicationRoutesTest {
  static final String V1 = "/pd/api/v1";
  static final String ALL = V1 + "/regions/replicated?startKey=&endKey=";
  static final Duration WAIT = Duration.ofSeconds(10);
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
    Metapb.Region three = TestPd.regionOnThreeStores();
    stream.send(pd.heartbeat(three, three.getPeers(0)));
    Await.until("the PD to cache the region", WAIT,
        () -> pd.server().cluster().regions().getRegion(2).peers().size() == 3);
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  String answer(String path) {
    try {
      HttpResponse<String> r = api.get(path);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return ApiClient.message(r);
    } catch (Exception e) {
      throw new AssertionError("GET " + path, e);
    }
  }

  @Test
  void replicatedThenPendingWithNoStoreThenInProgressOnceAStoreComes() throws Exception {
    assertThat(answer(ALL)).isEqualTo("REPLICATED");
    assertThat(answer(V1 + "/regions/replicated?startKey=6d&endKey=")).isEqualTo("REPLICATED");

    HttpResponse<String> r = api.post(V1 + "/config/replicate", "{\"max-replicas\": 4}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Await.until("the range to be PENDING", WAIT, () -> answer(ALL).equals("PENDING"));
    assertThat(api.getJson(V1 + "/regions/2/diagnose").get("rule_pending").asBoolean()).isTrue();
    assertThat(pd.server().operators().get(2)).isEmpty();

    pd.putStore(4);
    pd.storeHeartbeat(4);
    Await.until("the add-rule-peer operator once store 4 is up", WAIT,
        () -> pd.server().operators().get(2).isPresent());
    assertThat(pd.server().operators().get(2).get().desc()).isEqualTo("add-rule-peer");
    assertThat(answer(ALL)).isEqualTo("INPROGRESS");
    assertThat(api.getJson(V1 + "/regions/2/diagnose").get("rule_pending").asBoolean()).isFalse();
  }

  @Test
  void badKeysAreA400() throws Exception {
    HttpResponse<String> r = api.get(V1 + "/regions/replicated?startKey=zz&endKey=");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiClient.message(r)).isEqualTo("invalid startKey \"zz\": not hex");
    r = api.get(V1 + "/regions/replicated?startKey=&endKey=abc");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiClient.message(r)).isEqualTo("invalid endKey \"abc\": not hex");
    r = api.get(V1 + "/regions/replicated?startKey=");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(ApiClient.message(r)).startsWith("missing endKey: want a hex key");
  }
}
