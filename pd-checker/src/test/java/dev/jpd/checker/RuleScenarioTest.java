package dev.jpd.checker;

import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.storage.MemoryMetaStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenario table {@code rule-scenarios.txt} for the {@link RuleChecker}: stores, regions,
 * config, extra rules (besides pd/default: {@code id/role/count[/key=value][@from-to]}, the
 * constraint an {@code in}; the range from a region's start key {@code 5} or just after it
 * {@code 5m}, either end empty for unbounded) and the expected operators or reason, checked in
 * dry-run and patrol mode. Config {@code paused=CHECKER} pauses a checker once the chain is made.
 */
@Timeout(30)
class RuleScenarioTest {

  static Stream<Arguments> scenarios() throws IOException {
    return ChainScenarioTest.table("/rule-scenarios.txt", 6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(String name, String stores, String regions, String config, String rules,
      String expect) {
    FakeCluster fc = new FakeCluster();
    fc.config(b -> b.enablePlacementRules(true));
    RecordingOperators ops = new RecordingOperators();
    List<String> paused = new ArrayList<>();
    for (String kv : config.isEmpty() ? new String[0] : config.split("\\s+")) {
      if (kv.startsWith("paused=")) {
        paused.add(kv.substring("paused=".length()));
      } else if (!ChainScenarioTest.applyConfig(fc, ops, kv)) {
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
      String range = "";
      int at = spec.indexOf('@');
      if (at >= 0) {
        range = spec.substring(at + 1);
        spec = spec.substring(0, at);
      }
      String[] p = spec.split("/");
      String[] keys = range.isEmpty() ? new String[] {"", ""} : range.split("-", -1);
      List<LabelConstraint> cs = new ArrayList<>();
      if (p.length > 3) {
        String[] kv = p[3].split("=", 2);
        cs.add(new LabelConstraint(kv[0], "in", List.of(kv[1])));
      }
      rm.setRule(new Rule("pd", p[0], 1, false, hexKey(keys[0]), hexKey(keys[1]), p[1], false,
          Integer.parseInt(p[2]), cs, cfg.locationLabels(), "", 0, 0));
    }
    CheckerChain chain = CheckerChain.standard(fc.view, ops, CheckerEvents.none(), rm);
    paused.forEach(c -> chain.pause(c, java.time.Duration.ofMinutes(5)));
    ChainScenarioTest.assertOutcome(name, chain, fc.region(first), expect);
  }

  /** A rule key: {@code 5} is region 5's start key, {@code 5m} / {@code 5mm} lie just after. */
  private static String hexKey(String k) {
    if (k.isEmpty()) {
      return "";
    }
    int digits = 0;
    while (digits < k.length() && Character.isDigit(k.charAt(digits))) {
      digits++;
    }
    com.google.protobuf.ByteString key = FakeCluster.key(Long.parseLong(k.substring(0, digits)))
        .concat(com.google.protobuf.ByteString.copyFromUtf8(k.substring(digits)));
    return java.util.HexFormat.of().formatHex(key.toByteArray());
  }
}
