package dev.jpd.checker.patrol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pending and priority lists keep their unboxed id sets in step with their entries. */
@Timeout(30)
class PatrolListsTest {

  @Test
  void pendingMembershipFollowsAddRemoveExpiryEvictionAndClear() {
    PendingRegions p = new PendingRegions(1_000, 3);
    p.add(1, 0);
    p.add(2, 0);
    p.add(1, 500); // back of the line, first expiry kept
    assertThat(p.ids()).containsExactly(2L, 1L);
    assertThat(p.contains(1)).isTrue();
    assertThat(p.size()).isEqualTo(2);

    p.remove(2);
    p.remove(99); // not listed: nothing happens
    assertThat(p.contains(2)).isFalse();
    assertThat(p.ids()).containsExactly(1L);

    p.add(3, 600);
    p.add(4, 600);
    p.add(5, 600); // over capacity 3: the oldest (1) goes
    assertThat(p.ids()).containsExactly(3L, 4L, 5L);
    assertThat(p.contains(1)).isFalse();
    assertThat(p.size()).isEqualTo(3);

    p.add(6, 1_000);
    p.remove(3);
    assertThat(p.take(10, 1_599)).containsExactly(4L, 5L, 6L);
    assertThat(p.take(10, 1_600)).containsExactly(6L); // 4 and 5 expired at 1,600
    assertThat(p.contains(4)).isFalse();
    assertThat(p.contains(5)).isFalse();
    assertThat(p.size()).as("expired entries dropped by take").isEqualTo(1);

    p.add(6, 2_000); // retried after its expiry: dropped
    assertThat(p.contains(6)).isFalse();
    assertThat(p.size()).isZero();

    p.add(7, 2_000);
    p.clear();
    assertThat(p.contains(7)).isFalse();
    assertThat(p.size()).isZero();
    p.remove(7); // on an empty list: no lock, no change
    p.add(7, 2_000);
    assertThat(p.ids()).containsExactly(7L);
    assertThat(p.size()).isEqualTo(1);
    p.remove(7);
    assertThat(p.size()).isZero();
  }

  @Test
  void rulePendingSizeFollowsAddRemoveEvictionAndClear() {
    RulePendingRegions p = new RulePendingRegions(2);
    p.remove(1); // empty: nothing happens
    p.add(1);
    p.add(2);
    p.add(2); // already there
    assertThat(p.size()).isEqualTo(2);
    p.add(3); // over capacity: 1 goes
    assertThat(p.ids()).containsExactly(2L, 3L);
    assertThat(p.size()).isEqualTo(2);
    p.remove(2);
    assertThat(p.ids()).containsExactly(3L);
    assertThat(p.size()).isEqualTo(1);
    p.clear();
    assertThat(p.size()).isZero();
    assertThat(p.contains(3)).isFalse();
  }

  @Test
  void priorityMembershipFollowsUpdateRemoveAndEviction() {
    PriorityRegions p = new PriorityRegions(2);
    p.update(1, 1, 0);
    p.update(2, 2, 0);
    assertThat(p.contains(1)).isTrue();
    p.update(3, 2, 0); // full: evicts region 1, which misses fewer
    assertThat(p.contains(1)).isFalse();
    assertThat(p.contains(3)).isTrue();
    p.update(4, 1, 0); // full and misses no more than anyone: not listed
    assertThat(p.contains(4)).isFalse();
    assertThat(p.size()).isEqualTo(2);

    p.update(2, 0, 0); // repaired
    p.remove(99);
    assertThat(p.contains(2)).isFalse();
    assertThat(p.size()).isEqualTo(1);
    assertThat(p.due(1_000, 100)).containsExactly(3L);

    p.remove(3);
    assertThat(p.size()).isZero();
    p.update(3, 1, 2_000);
    assertThat(p.due(3_000, 100)).containsExactly(3L);
  }
}
