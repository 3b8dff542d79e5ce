package dev.jpd.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabelConstraintTest {
  private static final Map<String, String> TIKV = Map.of("zone", "z1", "host", "h1");
  private static final Map<String, String> TIFLASH = Map.of("zone", "z1", "engine", "tiflash");

  static Stream<Arguments> cases() {
    LabelConstraint inZ1 = new LabelConstraint("zone", "in", List.of("z1", "z2"));
    LabelConstraint notInZ1 = new LabelConstraint("zone", "notIn", List.of("z1"));
    LabelConstraint hasHost = new LabelConstraint("host", "exists", null);
    LabelConstraint noHost = new LabelConstraint("host", "notExists", null);
    LabelConstraint flash = new LabelConstraint("engine", "in", List.of("tiflash"));
    LabelConstraint notFlash = new LabelConstraint("engine", "notIn", List.of("tiflash"));
    return Stream.of(
        Arguments.of(TIKV, List.of(), true),
        Arguments.of(TIKV, List.of(inZ1), true),
        Arguments.of(TIKV, List.of(notInZ1), false),
        Arguments.of(Map.of(), List.of(notInZ1), true),
        Arguments.of(TIKV, List.of(hasHost), true),
        Arguments.of(TIKV, List.of(noHost), false),
        Arguments.of(TIKV, List.of(inZ1, noHost), false),
        // a TiFlash store only matches constraints that name the engine label
        Arguments.of(TIFLASH, List.of(), false),
        Arguments.of(TIFLASH, List.of(inZ1), false),
        Arguments.of(TIFLASH, List.of(flash), true),
        Arguments.of(TIFLASH, List.of(notFlash), false),
        Arguments.of(TIKV, List.of(flash), false),
        Arguments.of(TIKV, List.of(notFlash), true));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matches(Map<String, String> labels, List<LabelConstraint> cs, boolean expected) {
    assertEquals(expected, LabelConstraint.matchesAll(labels, cs));
  }
}
