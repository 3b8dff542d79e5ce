package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.placement.Rule;
import dev.jpd.server.testing.TestPd;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The PD's RuleManager: default rule from [replication], following it, surviving restarts. */
@Timeout(60)
class RuleManagerWiringTest {
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

  @Test
  void defaultRuleFollowsMaxReplicasSetOverHttp() throws Exception {
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
}
