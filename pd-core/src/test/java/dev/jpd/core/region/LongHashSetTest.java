package dev.jpd.core.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LongHashSetTest {
  @Test
  void behavesLikeAHashSetUnderRandomAddsAndRemoves() {
    Random rnd = new Random(11);
    LongHashSet set = new LongHashSet();
    Set<Long> model = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      // A small value range forces collisions, long probe runs, growth and shrinking.
      long v = i % 50_000 < 25_000 ? rnd.nextInt(3000) : rnd.nextLong() % 64;
      if (rnd.nextInt(3) == 0) {
        assertThat(set.remove(v)).as("remove %d", v).isEqualTo(model.remove(v));
      } else {
        assertThat(set.add(v)).as("add %d", v).isEqualTo(model.add(v));
      }
      assertThat(set.size()).isEqualTo(model.size());
      if (i % 10_000 == 0) {
        for (long probe = -70; probe < 3100; probe++) {
          assertThat(set.contains(probe)).isEqualTo(model.contains(probe));
        }
      }
    }
    long[] got = set.toArray();
    Arrays.sort(got);
    assertThat(got).containsExactly(model.stream().mapToLong(Long::longValue).sorted().toArray());
  }

  @Test
  void zeroIsAMemberLikeAnyOther() {
    LongHashSet set = new LongHashSet();
    assertThat(set.add(0)).isTrue();
    assertThat(set.add(0)).isFalse();
    assertThat(set.contains(0)).isTrue();
    assertThat(set.toArray()).containsExactly(0L);
    assertThat(set.remove(0)).isTrue();
    assertThat(set.size()).isZero();
    assertThat(set.random(new Random(1))).isZero();
  }
}
