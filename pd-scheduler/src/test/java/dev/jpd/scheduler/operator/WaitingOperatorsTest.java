package dev.jpd.scheduler.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.operator.TransferLeader;
import dev.jpd.proto.Metapb;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WaitingOperatorsTest {
  static Operator op(long region, String desc, Priority p) {
    return new Operator(desc, desc, region, Metapb.RegionEpoch.getDefaultInstance(),
        OpKind.of(OpKind.LEADER), 1, p, List.of(new TransferLeader(1, 2)), 0);
  }

  @Test
  void weightsAreTheSquaresOfTheLevel() {
    assertThat(WaitingOperators.weight(Priority.LOW)).isEqualTo(1);
    assertThat(WaitingOperators.weight(Priority.MEDIUM)).isEqualTo(4);
    assertThat(WaitingOperators.weight(Priority.HIGH)).isEqualTo(9);
    assertThat(WaitingOperators.weight(Priority.URGENT)).isEqualTo(16);
  }

  @Test
  void theRandomDrawPicksABucketByWeightAndEachBucketIsFifo() {
    // high (9) + low (1) = 10: draws 0..8 pick high, 9 picks low.
    ScriptedRandom random = new ScriptedRandom().then(9, 8, 0, 0);
    WaitingOperators w = new WaitingOperators(random);
    Operator low = op(1, "a", Priority.LOW);
    Operator high1 = op(2, "b", Priority.HIGH);
    Operator high2 = op(3, "b", Priority.HIGH);
    w.put(List.of(low));
    w.put(List.of(high1));
    w.put(List.of(high2));
    assertThat(w.count("b")).isEqualTo(2);
    assertThat(w.poll(e -> true)).containsExactly(low);
    assertThat(w.poll(e -> true)).containsExactly(high1);
    assertThat(w.poll(e -> true)).containsExactly(high2);
    assertThat(w.poll(e -> true)).isNull();
    assertThat(w.count("b")).isZero();
    assertThat(w.size()).isZero();
  }

  @Test
  void inadmissibleHeadsStayAndOtherBucketsGoAhead() {
    WaitingOperators w = new WaitingOperators(new ScriptedRandom());
    Operator urgent = op(1, "u", Priority.URGENT);
    Operator medium = op(2, "m", Priority.MEDIUM);
    w.put(List.of(urgent));
    w.put(List.of(medium));
    assertThat(w.poll(e -> e.get(0) != urgent)).containsExactly(medium);
    assertThat(w.list()).containsExactly(urgent);
    assertThat(w.poll(e -> e.get(0) != urgent)).isNull();
    assertThat(w.count("u")).isEqualTo(1);
  }

  @Test
  void aMergePairTravelsTogetherAndCountsOnce() {
    WaitingOperators w = new WaitingOperators(new ScriptedRandom());
    Operator a = op(1, "merge-region", Priority.MEDIUM);
    Operator b = op(2, "merge-region", Priority.MEDIUM);
    w.put(List.of(a, b));
    assertThat(w.count("merge-region")).isEqualTo(1);
    assertThat(w.list()).containsExactly(a, b);
    assertThat(w.removeIf(e -> e.contains(b))).containsExactly(List.of(a, b));
    assertThat(w.count("merge-region")).isZero();
  }
}
