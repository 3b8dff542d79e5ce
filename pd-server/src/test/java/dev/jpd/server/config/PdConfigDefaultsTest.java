package dev.jpd.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** With no file and no flags, every setting is PD's default. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PdConfigDefaultsTest {

  private static final PdConfig DEFAULTS = PdConfig.defaults();
  private static final Map<String, Object> JSON = DEFAULTS.toMap();

  /** key as PD's JSON spells it (section/key), and PD's default as {@code /config} shows it. */
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "schedule/max-store-down-time              | 30m0s",
      "schedule/leader-schedule-limit            | 4",
      "schedule/region-schedule-limit            | 2048",
      "schedule/replica-schedule-limit           | 64",
      "schedule/merge-schedule-limit             | 8",
      "schedule/hot-region-schedule-limit        | 4",
      "schedule/witness-schedule-limit           | 4",
      "schedule/affinity-schedule-limit          | 0",
      "schedule/split-scatter-schedule-limit     | 4",
      "schedule/max-merge-region-size            | 54",
      "schedule/max-merge-region-keys            | 540000",
      "schedule/patrol-region-interval           | 10ms",
      "schedule/patrol-region-worker-count       | 1",
      "schedule/split-merge-interval             | 1h0m0s",
      "schedule/switch-witness-interval          | 1h0m0s",
      "schedule/max-store-preparing-time         | 48h0m0s",
      "schedule/max-snapshot-count               | 64",
      "schedule/max-pending-peer-count           | 64",
      "schedule/low-space-ratio                  | 0.8",
      "schedule/high-space-ratio                 | 0.7",
      "schedule/tolerant-size-ratio              | 0.0",
      "schedule/leader-schedule-policy           | count",
      "schedule/store-limit-version              | v1",
      "schedule/region-score-formula-version     | v2",
      "schedule/scheduler-max-waiting-operator   | 5",
      "schedule/hot-region-cache-hits-threshold  | 3",
      "schedule/hot-regions-write-interval       | 10m0s",
      "schedule/hot-regions-reserved-days        | 7",
      "schedule/max-movable-hot-peer-size        | 512",
      "schedule/max-affinity-merge-region-size   | 256",
      "schedule/slow-store-evicting-affected-store-ratio-threshold | 0.3",
      "schedule/enable-cross-table-merge         | true",
      "schedule/enable-one-way-merge             | false",
      "schedule/enable-joint-consensus           | true",
      "schedule/enable-tikv-split-region         | true",
      "schedule/enable-remove-down-replica       | true",
      "schedule/enable-replace-offline-replica   | true",
      "schedule/enable-make-up-replica           | true",
      "schedule/enable-remove-extra-replica      | true",
      "schedule/enable-location-replacement      | true",
      "schedule/enable-diagnostic                | true",
      "schedule/enable-witness                   | false",
      "schedule/halt-scheduling                  | false",
      "replication/max-replicas                  | 3",
      "replication/location-labels               | ''",
      "replication/strictly-match-label          | false",
      "replication/enable-placement-rules        | true",
      "replication/enable-placement-rules-cache  | false",
      "replication/isolation-level               | ''",
      "pd-server/use-region-storage              | true",
      "pd-server/max-gap-reset-ts                | 24h0m0s",
      "pd-server/key-type                        | table",
      "pd-server/flow-round-by-digit             | 3",
      "pd-server/min-resolved-ts-persistence-interval | 1s",
      "pd-server/dashboard-address               | auto",
      "name                                      | pd",
      "data-dir                                  | default.pd",
      "client-urls                               | http://127.0.0.1:2379",
      "advertise-client-urls                     | http://127.0.0.1:2379",
      "peer-urls                                 | http://127.0.0.1:2380",
      "advertise-peer-urls                       | http://127.0.0.1:2380",
      "initial-cluster                           | pd=http://127.0.0.1:2380",
      "initial-cluster-state                     | new",
      "initial-cluster-token                     | pd-cluster",
      "lease                                     | 5",
      "tso-save-interval                         | 5s",
      "tso-update-physical-interval              | 50ms",
      "max-request-bytes                         | 157286400",
      "quota-backend-bytes                       | 8GiB",
      "auto-compaction-retention-v2              | 1h",
      "tick-interval                             | 500ms",
      "election-interval                         | 3s",
      "enable-grpc-gateway                       | true",
      "enable-prevote                            | true",
      "cluster-version                           | 0.0.0",
      "log/level                                 | info",
      "log/format                                | text",
      "metric/interval                           | 15s",
      "metric/job                                | pd",
      "http-address                              | 127.0.0.1:2381",
      "repair-warmup                             | true",
  })
  void jsonViewShowsPdDefaults(String key, String expected) {
    Object value = JSON;
    for (String part : key.split("/")) {
      assertThat(value).as(key).isInstanceOf(Map.class);
      value = ((Map<?, ?>) value).get(part);
    }
    assertThat(value).as(key).isNotNull();
    assertThat(String.valueOf(value)).as(key).isEqualTo(expected);
  }

  @Test
  void typedAccessorsCarryTheSameDefaults() {
    assertThat(DEFAULTS.schedule().maxStoreDownTime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(DEFAULTS.schedule().patrolRegionInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(DEFAULTS.schedule().splitMergeInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(DEFAULTS.tsoSaveInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(DEFAULTS.tsoUpdatePhysicalInterval()).isEqualTo(Duration.ofMillis(50));

    ScheduleConfig s = DEFAULTS.schedule();
    assertThat(s.maxMergeRegionKeys()).isEqualTo(540_000);
    assertThat(s.defaultStoreLimit()).isEqualTo(new ScheduleConfig.StoreLimit(15, 15));
    assertThat(s.storeLimit()).isEmpty();
    assertThat(s.tolerantSizeRatio()).isZero();
    assertThat(s.schedulers()).extracting(ScheduleConfig.SchedulerConfig::type).containsExactly(
        "balance-region", "balance-leader", "hot-region", "evict-slow-store",
        "evict-stopping-store");

    assertThat(DEFAULTS.replication().maxReplicas()).isEqualTo(3);
    assertThat(DEFAULTS.replication().locationLabels()).isEmpty();
    assertThat(DEFAULTS.replication().enablePlacementRules()).isTrue();
    assertThat(DEFAULTS.pdServer().useRegionStorage()).isTrue();
    assertThat(DEFAULTS.pdServer().minResolvedTsPersistenceInterval())
        .isEqualTo(Duration.ofSeconds(1));

    assertThat(DEFAULTS.leaseSeconds()).isEqualTo(5);
    assertThat(DEFAULTS.quotaBackendBytes()).isEqualTo(8L << 30);
    assertThat(DEFAULTS.maxRequestBytes()).isEqualTo(150L << 20);
    assertThat(DEFAULTS.dataDir()).isEqualTo(Path.of("default.pd"));
    assertThat(DEFAULTS.clientAddress()).isEqualTo(new HostPort("127.0.0.1", 2379));
    assertThat(DEFAULTS.advertiseClientUrls()).containsExactly("http://127.0.0.1:2379");
    assertThat(DEFAULTS.httpAddress()).isEqualTo(new HostPort("127.0.0.1", 2381));
    assertThat(DEFAULTS.etcdEndpoints()).isEmpty();
    assertThat(DEFAULTS.repairWarmup()).isTrue();
    assertThat(DEFAULTS.usesEmbeddedStore()).isTrue();
    assertThat(DEFAULTS.log().level()).isEqualTo("info");
    assertThat(DEFAULTS.log().logbackLevel()).isEqualTo("INFO");
    assertThat(DEFAULTS.warnings()).isEmpty();
  }

  @Test
  void jsonViewUsesPdShapes() {
    @SuppressWarnings("unchecked")
    Map<String, Object> schedule = (Map<String, Object>) JSON.get("schedule");
    // PD tags these booleans json:",string" and renames the scheduler list for upgrades.
    assertThat(schedule.get("enable-joint-consensus")).isEqualTo("true");
    assertThat(schedule).containsKey("schedulers-v2").doesNotContainKey("schedulers");
    assertThat(schedule.get("default-store-limit"))
        .isEqualTo(Map.of("add-peer", 15.0, "remove-peer", 15.0));
    assertThat(JSON.get("etcd-endpoints")).isEqualTo(List.of());
    assertThat(DEFAULTS.toJson()).contains("\"max-store-down-time\" : \"30m0s\"");
  }
}
