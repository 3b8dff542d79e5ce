package dev.jpd.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ByteSizesTest {

  @ParameterizedTest
  @CsvSource({
      "8GiB, 8589934592, 8GiB",
      "8GB, 8589934592, 8GiB",
      "8g, 8589934592, 8GiB",
      "150MiB, 157286400, 150MiB",
      "1024, 1024, 1KiB",
      "1536, 1536, 1.5KiB",
      "100, 100, 100B",
      "0, 0, 0B",
      "1.5 TiB, 1649267441664, 1.5TiB",
  })
  void parsesAndFormatsLikePd(String text, long bytes, String formatted) {
    assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    assertThat(ByteSizes.format(bytes)).isEqualTo(formatted);
  }

  @Test
  void rejectsNonSizes() {
    assertThatThrownBy(() -> ByteSizes.parse("8 gigs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a size");
    assertThatThrownBy(() -> ByteSizes.parse("-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
