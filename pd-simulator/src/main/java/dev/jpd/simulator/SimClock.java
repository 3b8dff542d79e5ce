package dev.jpd.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulator's time: a virtual clock that only the driver moves, one tick at a time. Every
 * delay in the model (snapshots, elections, heartbeat intervals, down seconds) is measured on it,
 * so a case runs as fast as the PD answers instead of at wall-clock speed. It starts at a real
 * instant so the timestamps it puts in heartbeats look like TiKV's.
 */
final class SimClock extends Clock {
  private volatile long nowMillis;

  SimClock(long startMillis) {
    this.nowMillis = startMillis;
  }

  long nowMillis() {
    return nowMillis;
  }

  long nowSeconds() {
    return nowMillis / 1000;
  }

  void advance(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("time only moves forward: " + millis);
    }
    nowMillis += millis;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the simulator clock is UTC only");
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(nowMillis);
  }

  @Override
  public long millis() {
    return nowMillis;
  }
}
