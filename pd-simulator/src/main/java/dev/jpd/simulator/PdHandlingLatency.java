package dev.jpd.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PD's own region-heartbeat handling time, read from its Prometheus histogram
 * {@code pd_scheduler_handle_region_heartbeat_duration_seconds} on {@code /metrics}, summed over
 * stores. Two scrapes around a bench give the histogram of the heartbeats in between, so the bench
 * can report the PD's share next to its end-to-end rate. Percentiles are bucket upper bounds, as
 * Prometheus' {@code histogram_quantile} would bound them.
 */
record PdHandlingLatency(TreeMap<Double, Double> cumulative, double count, double sum) {
  static final String METRIC = "pd_scheduler_handle_region_heartbeat_duration_seconds";
  private static final Pattern BUCKET =
      Pattern.compile("^" + METRIC + "_bucket\\{(.*)\\}\\s+(\\S+)$");
  private static final Pattern LE = Pattern.compile("(?:^|,)le=\"([^\"]+)\"");

  /** Parses a Prometheus text exposition; absent metric → an empty histogram. */
  static PdHandlingLatency parse(String scrape) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    double count = 0;
    double sum = 0;
    for (String line : scrape.split("\n")) {
      Matcher b = BUCKET.matcher(line);
      if (b.matches()) {
        Matcher le = LE.matcher(b.group(1));
        if (le.find()) {
          double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
          buckets.merge(bound, Double.parseDouble(b.group(2)), Double::sum);
        }
      } else if (line.startsWith(METRIC + "_count")) {
        count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      } else if (line.startsWith(METRIC + "_sum")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return new PdHandlingLatency(buckets, count, sum);
  }

  static PdHandlingLatency scrape(String httpAddress) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + httpAddress + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET http://" + httpAddress + "/metrics answered " + r.statusCode());
    }
    return parse(r.body());
  }

  /** What was observed between {@code earlier} and this scrape. */
  PdHandlingLatency since(PdHandlingLatency earlier) {
    TreeMap<Double, Double> diff = new TreeMap<>();
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      diff.put(e.getKey(), e.getValue() - earlier.cumulative.getOrDefault(e.getKey(), 0.0));
    }
    return new PdHandlingLatency(diff, count - earlier.count, sum - earlier.sum);
  }

  /** The upper bound, in seconds, of the bucket holding quantile {@code q}; NaN when empty. */
  double quantileBound(double q) {
    if (count <= 0) {
      return Double.NaN;
    }
    double want = q * count;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= want) {
        return e.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  String describe() {
    if (count <= 0) {
      return "PD handling time: no observations (is --pd-http the PD's HTTP address?)";
    }
    return String.format(
        "PD handling time (%s): %.0f heartbeats, mean %.1f µs, p50 <= %s, p99 <= %s, p99.9 <= %s",
        METRIC, count, sum / count * 1e6, ms(quantileBound(0.5)), ms(quantileBound(0.99)),
        ms(quantileBound(0.999)));
  }

  private static String ms(double seconds) {
    return Double.isInfinite(seconds) ? "+Inf" : String.format("%.3f ms", seconds * 1000);
  }
}
