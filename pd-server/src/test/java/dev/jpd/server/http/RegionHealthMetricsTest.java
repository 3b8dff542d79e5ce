package dev.jpd.server.http;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes /metrics while heartbeats arrive over real gRPC: the region-health gauges rise when a
 * region reports fewer peers or down peers, or when a store falls silent past
 * max-store-down-time (injected clock), and fall when things come back.
 */
@Timeout(60)
class RegionHealthMetricsTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String MISS = "pd_regions_status{type=\"miss-peer-region-count\"}";
  static final String DOWN = "pd_regions_status{type=\"down-peer-region-count\"}";
  static final String STORE_DOWN = "pd_cluster_status{engine=\"tikv\",type=\"store_down_count\"}";
  static final String STORE_UP = "pd_cluster_status{engine=\"tikv\",type=\"store_up_count\"}";
  static final String STORE_SLOW = "pd_cluster_status{engine=\"tikv\",type=\"store_slow_count\"}";
  static final String STORE_UNHEALTH =
      "pd_cluster_status{engine=\"tikv\",type=\"store_unhealth_count\"}";
  static final String STORE_DISCONNECTED =
      "pd_cluster_status{engine=\"tikv\",type=\"store_disconnected_count\"}";

  final HttpClient client = HttpClient.newHttpClient();
  final TestClock clock = TestClock.atNow();
  @TempDir Path dir;
  TestPd pd;
  RegionHeartbeatStream stream;
  long confVer = 3;

  @BeforeEach
  void start() throws Exception {
    pd = TestPd.start(dir, clock);
    pd.bootstrap();
    pd.putStore(2);
    pd.putStore(3);
    stream = pd.heartbeats();
    send(full(), b -> b);
    awaitGauge(MISS, 0);
    pd.server().storeLifecycle().checkStores();
  }

  @AfterEach
  void stop() {
    stream.close();
    pd.close();
  }

  Metapb.Region full() {
    return region(2, "", "", ++confVer, 1, peer(3, 1), peer(4, 2), peer(5, 3));
  }

  void send(Metapb.Region r, java.util.function.UnaryOperator<Pdpb.RegionHeartbeatRequest.Builder> edit) {
    stream.send(edit.apply(pd.heartbeat(r, peer(3, 1)).toBuilder()).build());
  }

  String scrape() {
    try {
      URI uri = URI.create("http://127.0.0.1:" + pd.server().httpPort() + "/metrics");
      return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The value of the sample whose name and labels are exactly {@code series}; NaN if absent. */
  double gauge(String series) {
    for (String line : scrape().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  void awaitGauge(String series, double want) {
    Await.until(series + " == " + want, WAIT, () -> gauge(series) == want);
  }

  @Test
  void missPeerRisesAndFallsWithTheRegionsPeers() {
    send(region(2, "", "", ++confVer, 1, peer(3, 1), peer(4, 2)), b -> b);
    awaitGauge(MISS, 1);
    send(full(), b -> b);
    awaitGauge(MISS, 0);
  }

  @Test
  void aRuleAskingForFiveVotersTurnsThreePeerRegionsIntoMissPeer() throws Exception {
    RuleManager rules = pd.server().ruleManager();
    // no heartbeat in between: the rule write itself re-classifies the regions in its range
    rules.setRule(new Rule("pd", "default", 0, false, "", "", "voter", false, 5, null,
        List.of(), "", 0, 0));
    awaitGauge(MISS, 1);
    // placement rules off: max-replicas (3) counts again
    postReplicate("{\"enable-placement-rules\": false}");
    awaitGauge(MISS, 0);
    postReplicate("{\"enable-placement-rules\": true}");
    awaitGauge(MISS, 1);
    rules.setRule(new Rule("pd", "default", 0, false, "", "", "voter", false, 3, null,
        List.of(), "", 0, 0));
    awaitGauge(MISS, 0);
  }

  void postReplicate(String body) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + pd.server().httpPort()
        + "/pd/api/v1/config/replicate");
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void downPeerRisesWhenTheLeaderReportsADownPeerAndFallsWhenItClears() {
    send(full(), b -> b.addDownPeers(Pdpb.PeerStats.newBuilder().setPeer(peer(5, 3)).setDownSeconds(600)));
    awaitGauge(DOWN, 1);
    send(full(), b -> b);
    awaitGauge(DOWN, 0);
  }

  @Test
  void eachUpStoreCountsOnceAsUnhealthDisconnectedSlowOrUp() {
    assertThat(gauge(STORE_SLOW)).isEqualTo(0);
    assertThat(gauge(STORE_UNHEALTH)).isEqualTo(0);
    // Store 3 silent 11 minutes (unhealthy, not yet down at 30m), store 2 silent 30 s
    // (disconnected), store 1 reports slow_score 80 (slow).
    clock.advance(Duration.ofMinutes(11).minusSeconds(30));
    pd.storeHeartbeat(2);
    clock.advance(Duration.ofSeconds(30));
    pd.storeHeartbeat(Pdpb.StoreStats.newBuilder().setStoreId(1).setSlowScore(80).build());
    pd.server().storeLifecycle().checkStores();
    assertThat(gauge(STORE_UNHEALTH)).isEqualTo(1);
    assertThat(gauge(STORE_DISCONNECTED)).isEqualTo(1);
    assertThat(gauge(STORE_SLOW)).isEqualTo(1);
    assertThat(gauge(STORE_UP)).isEqualTo(0);
    assertThat(gauge(STORE_DOWN)).isEqualTo(0);

    pd.storeHeartbeat(Pdpb.StoreStats.newBuilder().setStoreId(1).setSlowScore(1).build());
    pd.storeHeartbeat(2);
    pd.storeHeartbeat(3);
    pd.server().storeLifecycle().checkStores();
    assertThat(gauge(STORE_UP)).isEqualTo(3);
    assertThat(gauge(STORE_SLOW)).isEqualTo(0);
    assertThat(gauge(STORE_UNHEALTH)).isEqualTo(0);
  }

  @Test
  void downPeerAndDownStoresRiseWhenAStoreFallsSilentAndFallWhenItComesBack() {
    assertThat(gauge(STORE_UP)).isEqualTo(3);
    assertThat(gauge(STORE_DOWN)).isEqualTo(0);
    clock.advance(Duration.ofMinutes(31));
    pd.storeHeartbeat(1);
    pd.storeHeartbeat(2);
    pd.server().storeLifecycle().checkStores();
    assertThat(gauge(DOWN)).isEqualTo(1);
    assertThat(gauge(STORE_DOWN)).isEqualTo(1);
    assertThat(gauge(STORE_UP)).isEqualTo(2);

    pd.storeHeartbeat(3);
    assertThat(gauge(DOWN)).as("the heartbeat alone clears it").isEqualTo(0);
    pd.server().storeLifecycle().checkStores();
    assertThat(gauge(STORE_DOWN)).isEqualTo(0);
  }

  @Test
  void perStoreGaugesCarryAddressStoreAndType() {
    String s = scrape();
    assertThat(s).contains(
        "pd_scheduler_store_status{address=\"127.0.0.1:20161\",store=\"1\",type=\"leader_count\"} 1.0");
    assertThat(s).contains(
        "pd_scheduler_store_status{address=\"127.0.0.1:20163\",store=\"3\",type=\"region_count\"} 1.0");
    assertThat(s).contains("pd_cluster_status{engine=\"tikv\",type=\"region_count\"} 3.0");
    assertThat(s).contains("pd_regions_status{type=\"empty-region-count\"} 0.0");
    assertThat(s).contains("# TYPE pd_regions_status gauge");
  }
}
