package dev.jpd.server.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PD's {@code [replication]} section: how many replicas a region wants and how they spread over
 * store labels.
 *
 * @param maxReplicas {@code max-replicas}: replicas per region (default 3)
 * @param locationLabels {@code location-labels}: store label keys from widest to narrowest, e.g.
 *     {@code ["zone", "rack", "host"]} (default none)
 * @param strictlyMatchLabel {@code strictly-match-label}: stores must carry exactly these labels
 * @param enablePlacementRules {@code enable-placement-rules} (default true, as in current PD)
 * @param enablePlacementRulesCache {@code enable-placement-rules-cache} (default false)
 * @param isolationLevel {@code isolation-level}: the label key replicas must differ in, or empty
 */
public record ReplicationConfig(
    long maxReplicas,
    List<String> locationLabels,
    boolean strictlyMatchLabel,
    boolean enablePlacementRules,
    boolean enablePlacementRulesCache,
    String isolationLevel) {

  /** A store label key: letters and digits, with - _ . / inside, optionally led by $. */
  private static final Pattern LABEL_KEY =
      Pattern.compile("^[$]?[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$");

  /** Copies the list. */
  public ReplicationConfig {
    locationLabels = List.copyOf(locationLabels);
  }

  /** PD's defaults. */
  public static ReplicationConfig defaults() {
    return read(ConfigReader.empty());
  }

  /** Reads {@code [replication]}, PD's default for every absent key, and validates it. */
  static ReplicationConfig read(ConfigReader r) {
    ReplicationConfig c = new ReplicationConfig(
        r.uint("max-replicas", 3),
        r.stringList("location-labels", List.of()),
        r.bool("strictly-match-label", false),
        r.bool("enable-placement-rules", true),
        r.bool("enable-placement-rules-cache", false),
        r.string("isolation-level", ""));
    if (c.maxReplicas < 1) {
      throw r.invalid("max-replicas", c.maxReplicas, "a region needs at least 1 replica");
    }
    for (String label : c.locationLabels) {
      if (!LABEL_KEY.matcher(label).matches()) {
        throw r.invalid("location-labels", label, "not a label key; use letters and digits, "
            + "with - _ . / inside, e.g. \"zone\", \"rack\", \"host\"");
      }
    }
    if (!c.isolationLevel.isEmpty() && !c.locationLabels.contains(c.isolationLevel)) {
      throw r.invalid("isolation-level", c.isolationLevel,
          "must be empty or one of location-labels " + c.locationLabels);
    }
    return c;
  }

  /** This section as a map, in {@code shape}. */
  Map<String, Object> toMap(ConfigWriter.Shape shape) {
    return new ConfigWriter(shape)
        .put("max-replicas", maxReplicas)
        .stringSlice("location-labels", locationLabels)
        .stringBool("strictly-match-label", strictlyMatchLabel)
        .stringBool("enable-placement-rules", enablePlacementRules)
        .stringBool("enable-placement-rules-cache", enablePlacementRulesCache)
        .put("isolation-level", isolationLevel)
        .toMap();
  }
}
