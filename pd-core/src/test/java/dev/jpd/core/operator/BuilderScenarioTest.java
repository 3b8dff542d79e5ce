package dev.jpd.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builder plans as scenario tables: {@code src/test/resources/operator/builder-scenarios.txt}
 * (the format is described at the top of that file).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BuilderScenarioTest {

  record Scenario(String name, Map<String, String> fields, List<String> steps,
      List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Scenario> scenarios() throws IOException {
    List<Scenario> out = new ArrayList<>();
    try (InputStream in = BuilderScenarioTest.class.getResourceAsStream(
            "/operator/builder-scenarios.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String name = null;
      Map<String, String> fields = new LinkedHashMap<>();
      List<String> steps = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      List<String> list = null;
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        if (line.startsWith("=== ")) {
          if (name != null) {
            out.add(new Scenario(name, fields, steps, errors));
          }
          name = line.substring(4).trim();
          fields = new LinkedHashMap<>();
          steps = new ArrayList<>();
          errors = new ArrayList<>();
          list = null;
        } else if (line.startsWith("  ")) {
          list.add(line.trim());
        } else if (line.equals("steps:")) {
          list = steps;
        } else if (line.equals("errors:")) {
          list = errors;
        } else {
          int colon = line.indexOf(':');
          fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
      out.add(new Scenario(name, fields, steps, errors));
    }
    return out.stream();
  }

  @Test
  void theScenarioFileHasEnoughCases() throws IOException {
    List<Scenario> all = scenarios().toList();
    assertThat(all).hasSizeGreaterThan(30);
    assertThat(all).allSatisfy(s -> assertThat(s.steps().isEmpty()).as(s.name())
        .isNotEqualTo(s.errors().isEmpty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void plan(Scenario s) {
    FakeCluster cluster = new FakeCluster().joint(!"off".equals(s.fields().get("joint")));
    applyStores(cluster, s.fields().getOrDefault("stores", ""));
    RegionInfo region = Regions.region(s.fields().get("origin"));
    OperatorBuilder b = OperatorBuilder.of("test", cluster, region);
    applyOps(b, s.fields().getOrDefault("ops", ""));

    BuildResult<Operator> result = b.build(0, 1_000);

    if (!s.errors().isEmpty()) {
      assertThat(result.ok()).as("expected errors, got %s", result.value()).isFalse();
      for (String e : s.errors()) {
        assertThat(result.errors()).as("errors").anySatisfy(got -> assertThat(got).contains(e));
      }
      assertThat(result.errors()).hasSameSizeAs(s.errors());
      return;
    }
    assertThat(result.errors()).isEmpty();
    Operator op = result.value();
    assertThat(op.steps().stream().map(BuilderScenarioTest::render).toList())
        .containsExactlyElementsOf(s.steps());
    assertThat(OpKind.toString(op.kinds())).isEqualTo(s.fields().get("kinds"));
    if (s.fields().containsKey("brief")) {
      assertThat(op.brief()).isEqualTo(s.fields().get("brief"));
    }
    assertThat(op.regionId()).isEqualTo(region.id());
    assertThat(op.epoch()).isEqualTo(region.epoch());
    assertThat(op.status()).isEqualTo(OpStatus.CREATED);
  }

  static String render(OpStep step) {
    if (step instanceof RemovePeer rp && rp.isDownStore()) {
      return step + " (down store)";
    }
    if (step instanceof AddLearner al && al.isLightWeight()) {
      return step + " (light)";
    }
    if (step instanceof TransferLeader tl && !tl.toStores().isEmpty()) {
      return step + " (or " + tl.toStores().stream().filter(s -> s != tl.toStore()).toList()
          + ")";
    }
    return step.toString();
  }

  private static void applyStores(FakeCluster c, String spec) {
    for (String cmd : spec.split(";")) {
      String[] w = cmd.trim().split("\\s+");
      switch (w[0]) {
        case "" -> { }
        case "offline" -> c.setStoreOffline(Long.parseLong(w[1]));
        case "tombstone" -> c.setStoreTombstone(Long.parseLong(w[1]));
        case "gone" -> c.removeStore(Long.parseLong(w[1]));
        case "down" -> c.setStoreDown(Long.parseLong(w[1]));
        case "noleader" -> c.rejectLeader(Long.parseLong(w[1]));
        case "location-labels" -> c.locationLabels(List.of(w).subList(1, w.length)
            .toArray(String[]::new));
        case "label" -> {
          List<String> kv = new ArrayList<>();
          for (int i = 2; i < w.length; i++) {
            kv.addAll(List.of(w[i].split("=")));
          }
          c.setStore(Long.parseLong(w[1]), Metapb.StoreState.Up, kv.toArray(String[]::new));
        }
        default -> throw new IllegalArgumentException("unknown store command: " + cmd);
      }
    }
  }

  private static void applyOps(OperatorBuilder b, String spec) {
    for (String cmd : spec.split(";")) {
      String[] w = cmd.trim().split("\\s+");
      switch (w[0]) {
        case "" -> { }
        case "add" -> b.addPeer(Regions.voter(Long.parseLong(w[1])));
        case "add-learner" -> b.addPeer(Regions.learner(Long.parseLong(w[1])));
        case "remove" -> b.removePeer(Long.parseLong(w[1]));
        case "promote" -> b.promoteLearner(Long.parseLong(w[1]));
        case "demote" -> b.demoteVoter(Long.parseLong(w[1]));
        case "leader" -> b.setLeader(Long.parseLong(w[1]));
        case "leaders" -> b.setLeaders(Stream.of(w).skip(1).map(Long::valueOf).toList());
        case "skip-joint-check" -> b.skipOriginJointStateCheck();
        case "light" -> b.enableLightWeight();
        case "peers-mismatch" -> b.setPeers(Map.of(Long.parseLong(w[1]),
            Regions.voter(Long.parseLong(w[2]))));
        case "peers" -> {
          Map<Long, Metapb.Peer> peers = new TreeMap<>();
          for (int i = 1; i < w.length; i++) {
            boolean learner = w[i].startsWith("L");
            long store = Long.parseLong(learner ? w[i].substring(1) : w[i]);
            peers.put(store, learner ? Regions.learner(store) : Regions.voter(store));
          }
          b.setPeers(peers);
        }
        case "roles" -> {
          Map<Long, OperatorBuilder.Role> roles = new TreeMap<>();
          Map<Long, Metapb.Peer> peers = new TreeMap<>();
          for (int i = 1; i < w.length; i++) {
            String[] kv = w[i].split("=");
            long store = Long.parseLong(kv[0]);
            OperatorBuilder.Role role = OperatorBuilder.Role.valueOf(kv[1].toUpperCase());
            roles.put(store, role);
            peers.put(store, Metapb.Peer.newBuilder().setStoreId(store)
                .setRole(role.metaRole()).build());
          }
          b.setPeers(peers).setExpectedRoles(roles);
        }
        default -> throw new IllegalArgumentException("unknown op: " + cmd);
      }
    }
  }
}
