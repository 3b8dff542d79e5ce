package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenario table {@code checker-scenarios.txt}: given stores, regions and config, the checker
 * chain's dry run must build exactly the expected operators (in {@link OpText} form) or report
 * the expected reason for the named checker (and the stores it filtered out, by filter). The
 * patrol-mode check of the same region must build the same operators as the dry run.
 */
@Timeout(30)
class ChainScenarioTest {

  static Stream<Arguments> scenarios() throws IOException {
    return table("/checker-scenarios.txt", 5);
  }

  /**
   * A scenario table from the test resources: one case a line, {@code fields} fields split at
   * {@code |} and trimmed; blank lines and {@code #} comments skipped.
   */
  static Stream<Arguments> table(String resource, int fields) throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        ChainScenarioTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\\|", -1);
        if (f.length != fields) {
          throw new IllegalArgumentException(resource + " line " + n + ": want " + fields
              + " fields, got " + f.length);
        }
        out.add(Arguments.of((Object[]) Arrays.stream(f).map(String::trim).toArray(String[]::new)));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(String name, String stores, String regions, String config, String expect) {
    FakeCluster fc = new FakeCluster();
    RecordingOperators ops = new RecordingOperators();
    List<String> afterChain = new ArrayList<>();
    for (String kv : config.isEmpty() ? new String[0] : config.split("\\s+")) {
      if (!applyConfig(fc, ops, kv)) {
        afterChain.add(kv);
      }
    }
    for (String s : stores.split("\\s+")) {
      addStore(fc, s);
    }
    long first = 0;
    for (String spec : regions.split(";")) {
      long id = addRegion(fc, spec.trim());
      first = first == 0 ? id : first;
    }
    CheckerChain chain = CheckerChain.standard(fc.view, ops, CheckerEvents.none());
    for (String kv : afterChain) {
      String[] p = kv.split("=", 2);
      switch (p[0]) {
        case "paused" -> chain.pause(p[1], Duration.ofMinutes(5));
        case "split" -> chain.recordRegionSplit(Long.parseLong(p[1]));
        case "advance" -> fc.clock.advance(Duration.parse("PT" + p[1].toUpperCase()));
        default -> throw new IllegalArgumentException("unknown config key " + p[0]);
      }
    }
    assertOutcome(name, chain, fc.region(first), expect);
  }

  /**
   * The chain's dry run over the region builds exactly {@code expect} (in {@link OpText} form) or
   * reports {@code reason <checker> <reason>[; rejects <store>:<filter> ...]}; the patrol-mode
   * check builds the same operators as the dry run.
   */
  static void assertOutcome(String name, CheckerChain chain, RegionInfo region, String expect) {
    Diagnosis d = chain.diagnose(region);
    List<Operator> real = chain.check(region, CheckRequest.forPatrol());
    assertThat(OpText.of(real)).as("patrol check matches the dry run")
        .isEqualTo(OpText.of(d.operators()));
    if (!expect.startsWith("reason ")) {
      assertThat(OpText.of(d.operators())).as(name + "\n" + d.reports()).isEqualTo(expect);
      return;
    }
    String[] parts = expect.split(";", 2);
    String[] want = parts[0].trim().split("\\s+");
    CheckerReport report = d.reports().stream().filter(x -> x.checker().equals(want[1]))
        .findFirst().orElseThrow(() -> new AssertionError(
            "no report from " + want[1] + " in " + d.reports()));
    assertThat(report.reason().text()).as(name + "\n" + d.reports()).isEqualTo(want[2]);
    if (parts.length > 1) {
      String rejects = parts[1].trim();
      assertThat(rejects).startsWith("rejects ");
      TreeSet<String> wanted = new TreeSet<>(Arrays.asList(
          rejects.substring("rejects ".length()).trim().split("\\s+")));
      TreeSet<String> got = new TreeSet<>();
      report.rejectedStores().stream().filter(x -> !x.filter().equals("exclude"))
          .forEach(x -> got.add(x.storeId() + ":" + x.filter()));
      assertThat(got).as(name + "\n" + report).isEqualTo(wanted);
      report.rejectedStores().forEach(x -> assertThat(x.why()).isNotBlank());
    }
  }

  static boolean applyConfig(FakeCluster fc, RecordingOperators ops, String kv) {
    String[] p = kv.split("=", 2);
    String v = p[1];
    switch (p[0]) {
      case "max-replicas" -> fc.config(b -> b.maxReplicas(Integer.parseInt(v)));
      case "location-labels" -> fc.config(b -> b.locationLabels(List.of(v.split(","))));
      case "isolation-level" -> fc.config(b -> b.isolationLevel(v));
      case "enable-remove-down-replica" ->
          fc.config(b -> b.enableRemoveDownReplica(Boolean.parseBoolean(v)));
      case "enable-replace-offline-replica" ->
          fc.config(b -> b.enableReplaceOfflineReplica(Boolean.parseBoolean(v)));
      case "enable-make-up-replica" ->
          fc.config(b -> b.enableMakeUpReplica(Boolean.parseBoolean(v)));
      case "enable-remove-extra-replica" ->
          fc.config(b -> b.enableRemoveExtraReplica(Boolean.parseBoolean(v)));
      case "enable-location-replacement" ->
          fc.config(b -> b.enableLocationReplacement(Boolean.parseBoolean(v)));
      case "enable-placement-rules" ->
          fc.config(b -> b.enablePlacementRules(Boolean.parseBoolean(v)));
      case "enable-one-way-merge" -> fc.config(b -> b.enableOneWayMerge(Boolean.parseBoolean(v)));
      case "split-merge-interval" ->
          fc.config(b -> b.splitMergeInterval(Duration.parse("PT" + v.toUpperCase())));
      case "max-merge-region-size" -> fc.config(b -> b.maxMergeRegionSizeMiB(Long.parseLong(v)));
      case "max-merge-region-keys" -> fc.config(b -> b.maxMergeRegionKeys(Long.parseLong(v)));
      case "replica-schedule-limit" -> fc.config(b -> b.replicaScheduleLimit(Long.parseLong(v)));
      case "merge-schedule-limit" -> fc.config(b -> b.mergeScheduleLimit(Long.parseLong(v)));
      case "joint" -> fc.joint(Boolean.parseBoolean(v));
      case "running-replica" -> ops.running(OpKind.REPLICA, Long.parseLong(v));
      case "running-merge" -> ops.running(OpKind.MERGE, Long.parseLong(v));
      case "deny" -> fc.denied.add(Long.parseLong(v));
      case "hot" -> fc.hot.add(Long.parseLong(v));
      case "merge-deny" -> fc.mergeDenied.add(Long.parseLong(v));
      case "store-limit" -> fc.storeLimited.put(Long.parseLong(v), "store add-peer limit reached");
      case "label-split" -> fc.labelSplitKeys.put(Long.parseLong(v),
          List.of(FakeCluster.key(Long.parseLong(v)).concat(
              com.google.protobuf.ByteString.copyFromUtf8("m")).toByteArray()));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** {@code 4}, {@code 4:down:busy}, {@code 4{zone=z1,host=h1}:offline}. */
  static void addStore(FakeCluster fc, String spec) {
    String labels = "";
    int open = spec.indexOf('{');
    String rest = spec;
    if (open >= 0) {
      int close = spec.indexOf('}');
      labels = spec.substring(open + 1, close);
      rest = spec.substring(0, open) + spec.substring(close + 1);
    }
    String[] p = rest.split(":");
    long id = Long.parseLong(p[0]);
    fc.addStore(id, labels.isEmpty() ? new String[0] : labels.split(","));
    for (int i = 1; i < p.length; i++) {
      switch (p[i]) {
        case "down" -> fc.setStoreDown(id);
        case "silent" -> fc.setStoreSilent(id, Duration.ofMinutes(10));
        case "disconnected" -> fc.setStoreDisconnected(id);
        case "offline" -> fc.setStoreOffline(id);
        case "tombstone" -> fc.setStoreTombstone(id);
        case "busy" -> fc.setStoreBusy(id);
        case "lowspace" -> fc.setStoreLowSpace(id);
        case "snap" -> fc.setStoreSnapshots(id, 100);
        default -> throw new IllegalArgumentException("unknown store attribute " + p[i]);
      }
    }
  }

  /** {@code 1=1* 2 3!} or {@code 1=1* 2 3@1/100} (size MiB / keys; default 10/10000). */
  static long addRegion(FakeCluster fc, String spec) {
    String[] idAndPeers = spec.split("=", 2);
    long id = Long.parseLong(idAndPeers[0].trim());
    String peers = idAndPeers[1];
    long size = 10;
    long keys = 10_000;
    int at = peers.indexOf('@');
    if (at >= 0) {
      String[] sk = peers.substring(at + 1).split("/");
      size = Long.parseLong(sk[0]);
      keys = sk.length > 1 ? Long.parseLong(sk[1]) : size * 1000;
      peers = peers.substring(0, at);
    }
    fc.addRegion(id, peers, size, keys);
    return id;
  }
}
