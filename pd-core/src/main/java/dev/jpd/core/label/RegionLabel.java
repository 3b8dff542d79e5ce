package dev.jpd.core.label;

import dev.jpd.core.time.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One {@code key=value} label of a rule, optionally with a TTL (a Go duration string such as
 * {@code "10m"}) counted from {@code start_at} (Go's {@code time.UnixDate} layout, e.g.
 * {@code "Mon Jan  2 15:04:05 UTC 2006"}; filled in when the rule is stored, if missing). A label
 * with a TTL expires at {@code start_at + ttl} and then no longer applies.
 */
public final class RegionLabel {
  private final String key;
  private final String value;
  private final String ttl;
  private final String startAt;
  /** null: never expires (no TTL) or not yet stamped. */
  private final Instant expireAt;

  private RegionLabel(String key, String value, String ttl, String startAt, Instant expireAt) {
    this.key = key;
    this.value = value;
    this.ttl = ttl;
    this.startAt = startAt;
    this.expireAt = expireAt;
  }

  /** A label without TTL. */
  public static RegionLabel of(String key, String value) {
    return of(key, value, "", "");
  }

  /**
   * A label as a client sends it; checked when its rule is built ({@link LabelRule#create}).
   * Null strings read as empty.
   */
  public static RegionLabel of(String key, String value, String ttl, String startAt) {
    return new RegionLabel(nz(key), nz(value), nz(ttl), nz(startAt), null);
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }

  /** The TTL as given, or empty. */
  public String ttl() {
    return ttl;
  }

  /** When the TTL started, in Go's UnixDate layout, or empty (no TTL). */
  public String startAt() {
    return startAt;
  }

  /** When this label stops applying; null if never. */
  public Instant expireAt() {
    return expireAt;
  }

  /** PD's {@code expireBefore}: expired once the expiry time lies before {@code now}. */
  boolean expiredAt(Instant now) {
    return expireAt != null && expireAt.isBefore(now);
  }

  /** Checks key, value and TTL; without a TTL, the label as is. */
  RegionLabel checked() {
    if (key.isEmpty()) {
      throw new LabelRuleException("empty region label key");
    }
    if (value.isEmpty()) {
      throw new LabelRuleException("empty region label value (key \"" + key + "\")");
    }
    if (ttl.isEmpty()) {
      return this; // PD keeps a start_at without ttl as given; it means nothing
    }
    Duration d;
    Instant start = null;
    try {
      d = GoDuration.parse(ttl);
      if (!startAt.isEmpty()) {
        start = UnixDate.parse(startAt);
      }
    } catch (IllegalArgumentException e) {
      throw new LabelRuleException(
          "region label with invalid ttl info (key \"" + key + "\"): " + e.getMessage());
    }
    return new RegionLabel(key, value, ttl, startAt, start == null ? null : start.plus(d));
  }

  /** With {@code start_at} set to {@code now} when it has a TTL and no start yet. */
  RegionLabel stamped(Instant now) {
    if (ttl.isEmpty() || !startAt.isEmpty()) {
      return this;
    }
    return new RegionLabel(key, value, ttl, UnixDate.format(now), now.plus(GoDuration.parse(ttl)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegionLabel l
        && key.equals(l.key)
        && value.equals(l.value)
        && ttl.equals(l.ttl)
        && startAt.equals(l.startAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value, ttl, startAt);
  }

  @Override
  public String toString() {
    return key + "=" + value + (ttl.isEmpty() ? "" : " ttl " + ttl + " from " + startAt);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
