package dev.jpd.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PdConfigLoadTest {

  @TempDir Path dir;

  private Path write(String toml) throws IOException {
    Path file = dir.resolve("pd.toml");
    Files.writeString(file, toml);
    return file;
  }

  @Test
  void tomlOverridesDefaults() throws IOException {
    PdConfig c = PdConfig.load(write("""
        name = "pd-1"
        client-urls = "http://10.0.0.1:2379,http://127.0.0.1:2379"
        lease = 7
        tso-save-interval = "3s"
        quota-backend-bytes = "2GiB"
        etcd-endpoints = ["http://10.0.0.5:2379", "10.0.0.6:2379"]
        http-address = "0.0.0.0:8080"
        repair-warmup = false

        [labels]
        zone = "z1"

        [log]
        level = "debug"

        [schedule]
        max-store-down-time = "1h30m"
        leader-schedule-limit = 8
        max-merge-region-size = 20
        low-space-ratio = 0.9
        enable-one-way-merge = true

        [schedule.default-store-limit]
        add-peer = 30.0

        [schedule.store-limit.4]
        add-peer = 5
        remove-peer = 6.5

        [[schedule.schedulers]]
        type = "evict-leader"
        args = ["4"]

        [replication]
        max-replicas = 5
        location-labels = ["zone", "host"]
        isolation-level = "zone"

        [pd-server]
        key-type = "raw"
        """));

    assertThat(c.name()).isEqualTo("pd-1");
    assertThat(c.dataDir()).isEqualTo(Path.of("default.pd-1"));
    assertThat(c.clientAddress()).isEqualTo(new HostPort("10.0.0.1", 2379));
    assertThat(c.advertiseClientUrls())
        .containsExactly("http://10.0.0.1:2379", "http://127.0.0.1:2379");
    assertThat(c.leaseSeconds()).isEqualTo(7);
    assertThat(c.tsoSaveInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.quotaBackendBytes()).isEqualTo(2L << 30);
    assertThat(c.etcdEndpoints())
        .containsExactly("http://10.0.0.5:2379", "http://10.0.0.6:2379");
    assertThat(c.usesEmbeddedStore()).isFalse();
    assertThat(c.httpAddress()).isEqualTo(new HostPort("0.0.0.0", 8080));
    assertThat(c.repairWarmup()).isFalse();
    assertThat(c.labels()).containsExactly(Map.entry("zone", "z1"));
    assertThat(c.log().level()).isEqualTo("debug");
    assertThat(c.metric().job()).isEqualTo("pd-1");

    ScheduleConfig s = c.schedule();
    assertThat(s.maxStoreDownTime()).isEqualTo(Duration.ofMinutes(90));
    assertThat(s.leaderScheduleLimit()).isEqualTo(8);
    assertThat(s.regionScheduleLimit()).isEqualTo(2048);
    assertThat(s.maxMergeRegionKeys()).as("derived from the size").isEqualTo(200_000);
    assertThat(s.lowSpaceRatio()).isEqualTo(0.9);
    assertThat(s.enableOneWayMerge()).isTrue();
    assertThat(s.defaultStoreLimit()).isEqualTo(new ScheduleConfig.StoreLimit(30, 15));
    assertThat(s.storeLimit()).containsExactly(Map.entry(4L, new ScheduleConfig.StoreLimit(5, 6.5)));
    assertThat(s.schedulers()).containsExactly(
        new ScheduleConfig.SchedulerConfig("evict-leader", List.of("4"), false, ""));

    assertThat(c.replication().maxReplicas()).isEqualTo(5);
    assertThat(c.replication().locationLabels()).containsExactly("zone", "host");
    assertThat(c.pdServer().keyType()).isEqualTo("raw");
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void flagsOverrideToml() throws IOException {
    Path file = write("""
        name = "from-file"
        data-dir = "/var/lib/file"
        client-urls = "http://127.0.0.1:3379"
        etcd-endpoints = ["http://10.0.0.5:2379"]
        [log]
        level = "warn"
        """);
    PdConfig c = PdConfig.load(null, "--config", file.toString(),
        "--name=from-flag", "--data-dir", dir.resolve("data").toString(),
        "--client-urls", "http://127.0.0.1:4379", "-L", "error",
        "--log-file=" + dir.resolve("logs/pd.log"),
        "--etcd-endpoints", "http://10.0.0.7:2379,http://10.0.0.8:2379",
        "--http-address=127.0.0.1:4380", "--advertise-client-urls", "http://pd.example:4379",
        "--force-new-cluster");

    assertThat(c.name()).isEqualTo("from-flag");
    assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(c.clientAddress()).isEqualTo(new HostPort("127.0.0.1", 4379));
    assertThat(c.advertiseClientUrls()).containsExactly("http://pd.example:4379");
    assertThat(c.log().level()).isEqualTo("error");
    assertThat(c.log().file().filename()).isEqualTo(dir.resolve("logs/pd.log").toString());
    assertThat(c.etcdEndpoints()).containsExactly("http://10.0.0.7:2379", "http://10.0.0.8:2379");
    assertThat(c.httpAddress()).isEqualTo(new HostPort("127.0.0.1", 4380));
    assertThat(c.forceNewCluster()).isTrue();
    assertThat(c.initialCluster()).isEqualTo("from-flag=http://127.0.0.1:2380");
  }

  @Test
  void configFlagWinsOverThePathArgument() throws IOException {
    Path file = write("name = \"x\"\n");
    Path other = dir.resolve("other.toml");
    Files.writeString(other, "name = \"y\"\n");
    assertThat(PdConfig.load(file).name()).isEqualTo("x");
    assertThat(PdConfig.load(file, "--config", other.toString()).name()).isEqualTo("y");
    assertThat(PdConfig.load((Path) null).name()).isEqualTo("pd");
  }

  @Test
  void unknownKeyIsAnErrorNamingKeySectionAndFile() throws IOException {
    Path file = write("[schedule]\nmax-store-dwn-time = \"30m\"\n");
    assertThatThrownBy(() -> PdConfig.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown config key schedule.max-store-dwn-time in " + file
            + " (did you mean schedule.max-store-down-time?)");

    assertThatThrownBy(() -> PdConfig.parse("nmae = \"x\"\n", "pd.toml"))
        .hasMessage("unknown config key nmae in pd.toml (did you mean name?)");
    assertThatThrownBy(() -> PdConfig.parse("[schedule.default-store-limit]\nadd = 1\n", "pd.toml"))
        .hasMessageStartingWith("unknown config key schedule.default-store-limit.add in pd.toml");
    assertThatThrownBy(() -> PdConfig.parse("[[schedule.schedulers]]\ntype = \"label\"\n"
        + "arg = [\"1\"]\n", "pd.toml"))
        .hasMessageStartingWith("unknown config key schedule.schedulers[0].arg in pd.toml");
    assertThatThrownBy(() -> PdConfig.parse("[bogus]\nx = 1\n", "pd.toml"))
        .hasMessage("unknown config key bogus in pd.toml");
  }

  @Test
  void badDurationNamesKeyAndValue() {
    assertThatThrownBy(() -> PdConfig.parse("[schedule]\nmax-store-down-time = \"3x\"\n", "pd.toml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "invalid duration \"3x\" for schedule.max-store-down-time in pd.toml: ")
        .hasMessageContaining("unknown unit \"x\"");
    assertThatThrownBy(() -> PdConfig.parse("tso-save-interval = 5\n", "pd.toml"))
        .hasMessageStartingWith("invalid duration 5 for tso-save-interval in pd.toml: ")
        .hasMessageContaining("\"30m\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[schedule]\\nleader-schedule-limit = \"4\"   | invalid value \"4\" for schedule.leader-schedule-limit in pd.toml: expected a whole number",
      "[schedule]\\nleader-schedule-limit = -1      | invalid value -1 for schedule.leader-schedule-limit in pd.toml: expected a whole number ≥ 0",
      "[schedule]\\nlow-space-ratio = 1.5           | invalid value 1.5 for schedule.low-space-ratio in pd.toml: must be between 0 and 1",
      "[schedule]\\nhigh-space-ratio = 0.9          | schedule.low-space-ratio (0.8) must be larger than schedule.high-space-ratio (0.9)",
      "[schedule]\\npatrol-region-interval = \"0s\" | invalid value \"0s\" for schedule.patrol-region-interval in pd.toml: must be a positive duration",
      "[schedule]\\nmax-store-down-time = \"-5m\"   | invalid value \"-5m0s\" for schedule.max-store-down-time in pd.toml: must be a positive duration",
      "[schedule]\\nleader-schedule-policy = \"x\"  | invalid value \"x\" for schedule.leader-schedule-policy in pd.toml: must be one of count, size",
      "[schedule]\\npatrol-region-worker-count = 9  | invalid value 9 for schedule.patrol-region-worker-count in pd.toml: must be between 1 and 8",
      "[schedule]\\nenable-one-way-merge = \"yes\"  | invalid value \"yes\" for schedule.enable-one-way-merge in pd.toml: expected true or false",
      "[schedule.store-limit.abc]\\nadd-peer = 1    | invalid store id \"abc\" in schedule.store-limit.abc in pd.toml",
      "[[schedule.schedulers]]\\ntype = \"nope\"    | invalid value \"nope\" for schedule.schedulers[0].type in pd.toml: unknown scheduler type",
      "[replication]\\nmax-replicas = 0             | invalid value 0 for replication.max-replicas in pd.toml: a region needs at least 1 replica",
      "[replication]\\nisolation-level = \"zone\"   | invalid value \"zone\" for replication.isolation-level in pd.toml: must be empty or one of location-labels []",
      "[replication]\\nlocation-labels = [\"a b\"]  | invalid value \"a b\" for replication.location-labels in pd.toml: not a label key",
      "[pd-server]\\nkey-type = \"json\"            | invalid value \"json\" for pd-server.key-type in pd.toml: must be one of table, raw, txn",
      "[log]\\nlevel = \"loud\"                     | invalid value \"loud\" for log.level in pd.toml: must be one of debug, info, warn, error, fatal",
      "client-urls = \"127.0.0.1:2379\"             | invalid value \"127.0.0.1:2379\" for client-urls in pd.toml: expected a URL like http://127.0.0.1:2379",
      "client-urls = \"https://127.0.0.1:2379\"     | invalid value \"https://127.0.0.1:2379\" for client-urls in pd.toml: https is not supported yet",
      "client-urls = \"http://127.0.0.1\"           | invalid value \"http://127.0.0.1\" for client-urls in pd.toml: expected a URL like http://127.0.0.1:2379",
      "lease = 0                                    | invalid value 0 for lease in pd.toml: the leader lease is a whole number of seconds ≥ 1",
      "http-address = \"localhost\"                 | invalid value \"localhost\" for http-address in pd.toml: expected host:port",
      "http-address = \"0.0.0.0:2379\"              | invalid value \"0.0.0.0:2379\" for http-address in pd.toml: jpd serves gRPC on client-urls",
      "etcd-endpoints = \"http://h:x\"              | invalid value \"http://h:x\" for etcd-endpoints in pd.toml",
      "repair-warmup = \"yes\"                     | invalid value \"yes\" for repair-warmup in pd.toml: expected true or false",
      "join = \"http://a:2379\"\\ninitial-cluster = \"pd=http://a:2380\" | initial-cluster in pd.toml and join in pd.toml can not both be set",
      "name = 5                                     | invalid value 5 for name in pd.toml: expected a string",
      "schedule = 5                                 | invalid value 5 for schedule in pd.toml: expected a table ([schedule])",
      "quota-backend-bytes = \"8 gigs\"             | invalid value \"8 gigs\" for quota-backend-bytes in pd.toml: not a size",
      "cluster-version = \"seven\"                  | invalid value \"seven\" for cluster-version in pd.toml: expected a version like 7.5.0",
  })
  void badValuesNameKeyAndValue(String toml, String message) {
    assertThatThrownBy(() -> PdConfig.parse(toml.replace("\\n", "\n"), "pd.toml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void badFlagValueNamesTheFlag() {
    assertThatThrownBy(() -> PdConfig.load(null, "--client-urls", "localhost:2379"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid value \"localhost:2379\" for client-urls (from flag --client-urls): "
            + "expected a URL like http://127.0.0.1:2379");
    assertThatThrownBy(() -> PdConfig.load(null, "-L", "verbose"))
        .hasMessageStartingWith("invalid value \"verbose\" for log.level (from flag -L)");
  }

  @Test
  void unknownFlagIsAnError() {
    assertThatThrownBy(() -> PdConfig.load(null, "--name", "a", "--nmae", "b"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown flag --nmae");
  }

  @Test
  void fileErrorsNameTheFile() throws IOException {
    Path missing = dir.resolve("nope.toml");
    assertThatThrownBy(() -> PdConfig.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + missing + " does not exist");
    Path broken = write("name = \"a\"\nname = \"b\"\n");
    assertThatThrownBy(() -> PdConfig.load(broken))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cannot parse " + broken + " as TOML at line ")
        .hasMessageEndingWith("Duplicate key");
  }

  @Test
  void tsoUpdatePhysicalIntervalIsClampedAsInPd() {
    PdConfig fast = PdConfig.parse("tso-update-physical-interval = \"100us\"\n", "pd.toml");
    assertThat(fast.tsoUpdatePhysicalInterval()).isEqualTo(Duration.ofMillis(1));
    assertThat(fast.warnings()).singleElement().asString().contains("outside 1ms..10s");
    PdConfig slow = PdConfig.parse("tso-update-physical-interval = \"1m\"\n", "pd.toml");
    assertThat(slow.tsoUpdatePhysicalInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void deprecatedPdKeysStillWorkWithAWarning() {
    PdConfig c = PdConfig.parse("""
        log-level = "warn"
        [schedule]
        disable-remove-down-replica = true
        store-balance-rate = 20.0
        """, "pd.toml");
    assertThat(c.log().level()).isEqualTo("warn");
    assertThat(c.schedule().enableRemoveDownReplica()).isFalse();
    assertThat(c.schedule().defaultStoreLimit()).isEqualTo(new ScheduleConfig.StoreLimit(20, 20));
    assertThat(c.warnings()).hasSize(3).allMatch(w -> w.contains("deprecated"));
    assertThatThrownBy(() -> PdConfig.parse("[schedule]\ndisable-make-up-replica = true\n"
        + "enable-make-up-replica = true\n", "pd.toml"))
        .hasMessageContaining("contradict");
  }

  @Test
  void securityAndOtherPdSectionsAreKeptAsWritten() {
    PdConfig c = PdConfig.parse("""
        [security]
        cert-path = "/etc/pd/cert.pem"
        cert-allowed-cn = ["a"]
        [security.encryption]
        data-encryption-method = "plaintext"
        [dashboard]
        enable-telemetry = false
        """, "pd.toml");
    assertThat(c.security()).containsEntry("cert-path", "/etc/pd/cert.pem")
        .containsEntry("cert-allowed-cn", List.of("a"))
        .containsEntry("encryption", Map.of("data-encryption-method", "plaintext"));
    assertThat(c.pdSections()).containsOnlyKeys("dashboard");
    assertThat(c.warnings()).singleElement().asString().contains("does not serve TLS");
    assertThat(PdConfig.parse(c.toToml(), "pd.toml")).isEqualTo(c);
  }

  @Test
  void logFileMustNotBeInsideDataDir() {
    assertThatThrownBy(() -> PdConfig.load(null, "--data-dir", dir.toString(),
        "--log-file", dir.resolve("pd.log").toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must not be inside data-dir");
  }

  @Test
  void everyKeyRoundTripsThroughToml() {
    PdConfig defaults = PdConfig.defaults();
    assertThat(PdConfig.parse(defaults.toToml(), "round trip")).isEqualTo(defaults);

    PdConfig custom = PdConfig.parse("""
        name = "rt"
        etcd-endpoints = ["http://10.0.0.5:2379"]
        repair-warmup = false
        quota-backend-bytes = "3GiB"
        [labels]
        zone = "z"
        [schedule]
        max-store-down-time = "1h2m3.5s"
        patrol-region-interval = "250us"
        max-merge-region-keys = 7
        tolerant-size-ratio = 2.5
        [schedule.store-limit.9]
        add-peer = 1.5
        [[schedule.schedulers]]
        type = "grant-leader"
        args = ["1", "2"]
        disable = true
        args-payload = "p"
        [replication]
        location-labels = ["zone"]
        """, "pd.toml");
    String toml = custom.toToml();
    assertThat(PdConfig.parse(toml, "round trip")).isEqualTo(custom);
    assertThat(PdConfig.parse(toml, "round trip").toMap()).isEqualTo(custom.toMap());
  }

  @Test
  void sampleConfigLoads() {
    Path sample = Path.of("").toAbsolutePath().getParent().resolve("conf/pd.toml");
    assertThat(sample).exists();
    PdConfig c = PdConfig.load(sample);
    assertThat(c.warnings()).isEmpty();
    // The sample only documents defaults: loading it changes nothing.
    assertThat(c).isEqualTo(PdConfig.defaults());
  }
}
