package dev.jpd.server.tso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TimestampTest {

  @Test
  void packsPhysicalAboveEighteenLogicalBits() {
    Timestamp ts = new Timestamp(1_700_000_000_123L, 5);

    assertThat(ts.toTso()).isEqualTo((1_700_000_000_123L << 18) + 5);
    assertThat(Timestamp.fromTso(ts.toTso())).isEqualTo(ts);
    assertThat(Timestamp.fromTso((7L << 18) | (Timestamp.MAX_LOGICAL - 1)))
        .isEqualTo(new Timestamp(7, Timestamp.MAX_LOGICAL - 1));
  }

  @Test
  void rejectsALogicalOutsideEighteenBitsAndNegatives() {
    assertThatThrownBy(() -> new Timestamp(1, Timestamp.MAX_LOGICAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("262144");
    assertThatThrownBy(() -> new Timestamp(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Timestamp(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
