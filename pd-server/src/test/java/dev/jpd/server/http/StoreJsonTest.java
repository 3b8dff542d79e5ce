package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Byte sizes as Go's units.BytesSize prints them ("%.4g" over binary units). */
@Timeout(10)
class StoreJsonTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0B",
    "1, 1B",
    "1000, 1000B",
    "1023, 1023B",
    "1024, 1KiB",
    "1536, 1.5KiB",
    "1048576, 1MiB",
    "100000000000, 93.13GiB",
    "1099511627776, 1TiB",
    "1649267441664, 1.5TiB",
    "1125899906842624, 1PiB",
  })
  void byteSize(long bytes, String want) {
    assertThat(StoreJson.byteSize(bytes)).isEqualTo(want);
  }
}
