package dev.jpd.server.config;

import java.time.Duration;
import java.util.Map;

/**
 * PD's {@code [metric]} section: pushing metrics to a Prometheus push gateway. We serve
 * {@code /metrics} for Prometheus to scrape; pushing is accepted and kept but not done yet.
 *
 * @param job {@code job}: push job name (default: the member name)
 * @param address {@code address}: push gateway address, empty = no push (default)
 * @param interval {@code interval}: push interval (default 15s)
 */
public record MetricConfig(String job, String address, Duration interval) {

  /** Reads {@code [metric]}; {@code name} is the member name, the default job. */
  static MetricConfig read(ConfigReader r, String name) {
    return new MetricConfig(
        r.nonEmptyString("job", name),
        r.string("address", ""),
        r.positiveDuration("interval", Duration.ofSeconds(15)));
  }

  /** This section as a map (the same in both shapes). */
  Map<String, Object> toMap(ConfigWriter.Shape shape) {
    return new ConfigWriter(shape)
        .put("job", job)
        .put("address", address)
        .duration("interval", interval)
        .toMap();
  }
}
