package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PdHandlingLatencyTest {
  static String scrape(double b1, double b2, double inf, double sum) {
    String m = PdHandlingLatency.METRIC;
    // two stores' series: their buckets are summed
    return "# TYPE " + m + " histogram\n"
        + m + "_bucket{address=\"a\",store=\"1\",le=\"1.0E-4\"} " + b1 + "\n"
        + m + "_bucket{address=\"a\",store=\"1\",le=\"0.001\"} " + b2 + "\n"
        + m + "_bucket{address=\"a\",store=\"1\",le=\"+Inf\"} " + inf + "\n"
        + m + "_count{address=\"a\",store=\"1\"} " + inf + "\n"
        + m + "_sum{address=\"a\",store=\"1\"} " + sum + "\n"
        + m + "_bucket{address=\"b\",store=\"2\",le=\"1.0E-4\"} 0\n"
        + m + "_bucket{address=\"b\",store=\"2\",le=\"0.001\"} 0\n"
        + m + "_bucket{address=\"b\",store=\"2\",le=\"+Inf\"} 0\n"
        + m + "_count{address=\"b\",store=\"2\"} 0\n"
        + "other_metric_bucket{le=\"1\"} 99\n";
  }

  @Test
  void quantilesAreBucketBoundsOfTheDifferenceBetweenTwoScrapes() {
    PdHandlingLatency before = PdHandlingLatency.parse(scrape(10, 10, 10, 0.0005));
    PdHandlingLatency after = PdHandlingLatency.parse(scrape(90, 109, 110, 0.0105));
    PdHandlingLatency d = after.since(before);
    assertThat(d.count()).isEqualTo(100);
    assertThat(d.sum()).isEqualTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(d.quantileBound(0.5)).isEqualTo(1e-4);   // 80 of 100 within 0.1 ms
    assertThat(d.quantileBound(0.99)).isEqualTo(0.001); // 99 within 1 ms
    assertThat(d.quantileBound(0.999)).isInfinite();    // the last one beyond
    assertThat(d.describe()).contains("100 heartbeats").contains("mean 100.0 µs").contains("p50 <= 0.100 ms");
  }

  @Test
  void anAbsentMetricIsAnEmptyHistogramThatSaysSo() {
    PdHandlingLatency none = PdHandlingLatency.parse("other_metric 1\n");
    assertThat(none.count()).isZero();
    assertThat(none.quantileBound(0.5)).isNaN();
    assertThat(none.describe()).contains("no observations");
  }
}
