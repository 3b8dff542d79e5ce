package dev.jpd.checker.patrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PD's metric names and labels. */
@Timeout(10)
class CheckerMetricsTest {

  @Test
  void eventsAreCountedByTypeAndName() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CheckerMetrics m = new CheckerMetrics(registry);
    m.events().inc("replica_checker", "new-operator");
    m.events().inc("replica_checker", "new-operator");
    m.events().inc("merge_checker", "paused");
    assertThat(registry.get("pd_checker_event_count").tag("type", "replica_checker")
        .tag("name", "new-operator").counter().count()).isEqualTo(2);
    assertThat(registry.get("pd_checker_event_count").tag("type", "merge_checker")
        .tag("name", "paused").counter().count()).isEqualTo(1);
    assertThat(registry.get("pd_checker_event_count").counters()).hasSize(2);
  }

  @Test
  void equalNamesShareACounterAndCollidingNamesKeepTheirOwn() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CheckerMetrics m = new CheckerMetrics(registry);
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < 200; i++) { // more names than the recent-counter slots
        m.events().inc("rule-checker", "event-" + i); // a new string object every time
      }
    }
    m.events().inc(new String("rule-checker"), new String("event-7"));
    for (int i = 0; i < 200; i++) {
      assertThat(registry.get("pd_checker_event_count").tag("type", "rule-checker")
          .tag("name", "event-" + i).counter().count()).isEqualTo(i == 7 ? 4 : 3);
    }
    assertThat(registry.get("pd_checker_event_count").counters()).hasSize(200);
  }

  @Test
  void patrolRoundTimeIsInSeconds() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CheckerMetrics m = new CheckerMetrics(registry);
    assertThat(registry.get("pd_checker_patrol_regions_time").gauge().value()).isZero();
    m.patrolRound(1_500);
    assertThat(registry.get("pd_checker_patrol_regions_time").gauge().value()).isEqualTo(1.5);
  }
}
