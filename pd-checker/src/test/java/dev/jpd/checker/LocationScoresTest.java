package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PD's DistinctScore: base 100 per level, an unset label matches anything. */
@Timeout(10)
class LocationScoresTest {
  private static final List<String> LABELS = List.of("zone", "rack", "host");

  private static StoreInfo store(long id, String zone, String rack, String host) {
    Metapb.Store.Builder m = Metapb.Store.newBuilder().setId(id);
    if (!zone.isEmpty()) {
      m.addLabels(Metapb.StoreLabel.newBuilder().setKey("zone").setValue(zone));
    }
    if (!rack.isEmpty()) {
      m.addLabels(Metapb.StoreLabel.newBuilder().setKey("rack").setValue(rack));
    }
    if (!host.isEmpty()) {
      m.addLabels(Metapb.StoreLabel.newBuilder().setKey("HOST").setValue(host));
    }
    return StoreInfo.of(m.build());
  }

  static Stream<Arguments> cases() {
    StoreInfo a = store(1, "z1", "r1", "h1");
    StoreInfo b = store(2, "z1", "r1", "h2");
    StoreInfo c = store(3, "z1", "r2", "h3");
    StoreInfo d = store(4, "z2", "r3", "h4");
    StoreInfo unlabeled = store(5, "", "", "");
    return Stream.of(
        Arguments.of("same host differs nowhere", List.of(a), store(9, "z1", "r1", "h1"), 0.0),
        Arguments.of("other host", List.of(a), b, 1.0),
        Arguments.of("other rack", List.of(a), c, 100.0),
        Arguments.of("other zone", List.of(a), d, 10_000.0),
        Arguments.of("sums over stores", List.of(a, b, c), d, 30_000.0),
        Arguments.of("skips itself", List.of(a, b, d), d, 20_000.0),
        Arguments.of("unset labels match anything", List.of(a, d), unlabeled, 0.0),
        Arguments.of("case-insensitive values", List.of(a), store(9, "Z1", "R1", "H1"), 0.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void distinctScore(String name, List<StoreInfo> stores, StoreInfo other, double want) {
    assertThat(LocationScores.distinctScore(LABELS, stores, other)).isEqualTo(want);
  }
}
