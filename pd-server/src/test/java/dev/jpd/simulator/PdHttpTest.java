package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.proto.Metapb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's HTTP client against a real daemon: config, rules, store removal, operators. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PdHttpTest {
  @TempDir Path dir;

  @Test
  void setsConfigTakesAStoreOfflineAndReadsOperators() throws Exception {
    SimCase c = new SimCase("http", "four stores", null, SimConfig.defaults(),
        new SimCase.Layout(4, 1, SimConfig.MIB, 100, SimCase.roundRobin(3), SimCase.noLabels()),
        (d, tick) -> { }, d -> SimCase.Verdict.notYet(""), 60_000);
    try (InProcessPd pd = new InProcessPd(dir); PdClient client = new PdClient(pd.address())) {
      PdHttp http = new PdHttp(pd.httpAddress());
      Driver d = new Driver(client, c, new SimClock(System.currentTimeMillis()), 0);
      d.setup();
      d.tick();

      http.setConfig("{\"max-store-down-time\": \"1h\", \"location-labels\": [\"zone\"]}")
          .expectOk("set config");
      assertThat(pd.server.config().current().schedule().maxStoreDownTime())
          .isEqualTo(Duration.ofHours(1));
      assertThat(pd.server.config().current().replication().locationLabels()).containsExactly("zone");
      PdHttp.Response bad = http.setConfig("{\"no-such-key\": 1}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("no-such-key");
      assertThatThrownBy(() -> bad.expectOk("set a bad key")).hasMessageContaining("HTTP 400");

      http.setRule(PdHttp.rule("pd", "z2-learner", "learner", 1, "zone", "z2"))
          .expectOk("set rule");
      var rule = pd.server.ruleManager().rule("pd", "z2-learner");
      assertThat(rule.role()).isEqualTo("learner");
      assertThat(rule.count()).isEqualTo(1);
      assertThat(rule.labelConstraints()).singleElement()
          .satisfies(lc -> assertThat(lc.values()).containsExactly("z2"));
      assertThat(http.setRule(PdHttp.rule("pd", "x", "boss", 1, "zone", "z2")).status())
          .isEqualTo(400);
      assertThat(pd.server.ruleManager().rule("pd", "x")).isNull();

      long last = List.copyOf(d.cluster.stores.keySet()).get(3);
      http.deleteStore(last).expectOk("delete store");
      assertThat(pd.server.cluster().getStore(last).orElseThrow().meta().getState())
          .isEqualTo(Metapb.StoreState.Offline);
      assertThat(http.deleteStore(9999).status()).isEqualTo(404);

      assertThat(http.operators().expectOk("list operators").body().replaceAll("\\s", ""))
          .isEqualTo("[]");
      assertThat(http.operator(d.cluster.sortedRegions().get(0).id()).status()).isEqualTo(404);
    }
  }
}
