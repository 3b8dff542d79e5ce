package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storage.MemoryMetaStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * The scenario table {@code rule-scenarios.txt} for the {@link RuleChecker}: stores, regions,
 * config, extra rules (besides pd/default: {@code id/role/count[/key=value]}, the constraint an
 * {@code in}) and the expected operators or reason, checked in dry-run and patrol mode.
 */
@Timeout(30)
class RuleScenarioTest {

  static Stream<Arguments> scenarios() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        RuleScenarioTest.class.getResourceAsStream("/rule-scenarios.txt"),
        StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\\|", -1);
        if (f.length != 6) {
          throw new IllegalArgumentException("line " + n + ": want 6 fields, got " + f.length);
        }
        out.add(Arguments.of(f[0].trim(), f[1].trim(), f[2].trim(), f[3].trim(), f[4].trim(),
            f[5].trim()));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(String name, String stores, String regions, String config, String rules,
      String expect) {
    FakeCluster fc = new FakeCluster();
    fc.config(b -> b.enablePlacementRules(true));
    RecordingOperators ops = new RecordingOperators();
    for (String kv : config.isEmpty() ? new String[0] : config.split("\\s+")) {
      if (!ChainScenarioTest.applyConfig(fc, ops, kv)) {
        throw new IllegalArgumentException("unknown config " + kv);
      }
    }
    for (String s : stores.split("\\s+")) {
      ChainScenarioTest.addStore(fc, s);
    }
    long first = 0;
    for (String spec : regions.split(";")) {
      long id = ChainScenarioTest.addRegion(fc, spec.trim());
      first = first == 0 ? id : first;
    }
    CheckerConfig cfg = fc.config();
    RuleManager rm = new RuleManager(new MemoryMetaStore(), 7, new RuleManager.Replication(
        cfg.maxReplicas(), cfg.locationLabels(), cfg.isolationLevel()), () -> 1000);
    for (String spec : rules.isEmpty() ? new String[0] : rules.split("\\s+")) {
      String[] p = spec.split("/");
      List<LabelConstraint> cs = new ArrayList<>();
      if (p.length > 3) {
        String[] kv = p[3].split("=", 2);
        cs.add(new LabelConstraint(kv[0], "in", List.of(kv[1])));
      }
      rm.setRule(new Rule("pd", p[0], 1, false, "", "", p[1], false, Integer.parseInt(p[2]), cs,
          cfg.locationLabels(), "", 0, 0));
    }
    CheckerChain chain = CheckerChain.standard(fc.view, ops, CheckerEvents.none(),
        RuleChecker.of(fc.view, rm));
    RegionInfo region = fc.region(first);
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
      TreeSet<String> wanted = new TreeSet<>(Arrays.asList(
          parts[1].trim().substring("rejects ".length()).trim().split("\\s+")));
      TreeSet<String> got = new TreeSet<>();
      report.rejectedStores().stream().filter(x -> !x.filter().equals("exclude"))
          .forEach(x -> got.add(x.storeId() + ":" + x.filter()));
      assertThat(got).as(name + "\n" + report).isEqualTo(wanted);
      report.rejectedStores().forEach(x -> assertThat(x.why()).isNotBlank());
    }
  }
}
