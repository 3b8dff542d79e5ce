package dev.jpd.core.storelimit;

/**
 * One store's v1 store limit for one {@link dev.jpd.core.operator.LimitType}: a token bucket
 * (PD's {@code storelimit.StoreRateLimit}).
 *
 * <p>The rate is configured in operations per minute (PD's {@code store-limit}, default 15). One
 * step of a region above 20 MiB costs 1000 tokens ({@link
 * dev.jpd.core.operator.LimitType#stepCost}), so the bucket fills at {@code rate / 60 × 1000}
 * tokens per second and holds {@code max(1000, tokens per second)}: one full step always fits, and
 * a fast rate may burst for a second. A new bucket starts full. A rate of 0 and a rate of at least
 * {@link #UNLIMITED} never refuse (PD's behaviour for both). {@link #take} never goes into debt:
 * when the tokens are short it takes nothing and answers false.
 *
 * <p>Time is passed in (unix millis from the caller's injected clock). Thread-safe: every method
 * is synchronized on the bucket, which is held for a few arithmetic operations only.
 */
public final class StoreLimit {
  /** PD's default {@code store-limit} for add-peer and remove-peer, in operations per minute. */
  public static final double DEFAULT_RATE_PER_MINUTE = 15;

  /**
   * PD's {@code storelimit.Unlimited}: the rate set on a Removing store's remove-peer limit so
   * that it drains as fast as the cluster can move its replicas.
   */
  public static final double UNLIMITED = 1e8;

  /** Tokens one step of a region above the small-region threshold costs. */
  static final double STEP_TOKENS = 1000;

  private double ratePerMinute;
  private double tokensPerMilli;
  private double capacity;
  private double tokens;
  private long lastMillis;

  /** A full bucket at this rate. */
  public StoreLimit(double ratePerMinute, long nowMillis) {
    configure(ratePerMinute);
    this.tokens = capacity;
    this.lastMillis = nowMillis;
  }

  private void configure(double perMinute) {
    if (Double.isNaN(perMinute) || perMinute < 0) {
      throw new IllegalArgumentException(
          "store limit rate must be a non-negative number of operations per minute, got "
              + perMinute);
    }
    this.ratePerMinute = perMinute;
    double perSecond = perMinute / 60 * STEP_TOKENS;
    this.tokensPerMilli = perSecond / 1000;
    this.capacity = Math.max(STEP_TOKENS, perSecond);
  }

  /**
   * Changes the rate; a bucket whose rate really changes starts full again (PD builds a new
   * limiter), one given its current rate is left as it is.
   */
  public synchronized void reset(double newRatePerMinute, long nowMillis) {
    if (newRatePerMinute == ratePerMinute) {
      return;
    }
    configure(newRatePerMinute);
    tokens = capacity;
    lastMillis = nowMillis;
  }

  public synchronized double ratePerMinute() {
    return ratePerMinute;
  }

  /** Whether the limit is off: rate 0 or at least {@link #UNLIMITED}. */
  public synchronized boolean unlimited() {
    return ratePerMinute == 0 || ratePerMinute >= UNLIMITED;
  }

  /** The most tokens the bucket holds. */
  public synchronized double capacity() {
    return capacity;
  }

  /** Tokens available at {@code nowMillis}. */
  public synchronized double tokens(long nowMillis) {
    refill(nowMillis);
    return tokens;
  }

  /** Whether {@code cost} tokens are available now. */
  public synchronized boolean available(long cost, long nowMillis) {
    if (unlimited()) {
      return true;
    }
    refill(nowMillis);
    return tokens >= cost;
  }

  /** Takes {@code cost} tokens if they are available; false (and nothing taken) if not. */
  public synchronized boolean take(long cost, long nowMillis) {
    if (unlimited()) {
      return true;
    }
    refill(nowMillis);
    if (tokens < cost) {
      return false;
    }
    tokens -= cost;
    return true;
  }

  private void refill(long nowMillis) {
    if (nowMillis > lastMillis) {
      tokens = Math.min(capacity, tokens + (nowMillis - lastMillis) * tokensPerMilli);
      lastMillis = nowMillis;
    }
  }

  @Override
  public synchronized String toString() {
    return "StoreLimit{ratePerMinute=" + ratePerMinute + ", tokens=" + tokens + ", capacity="
        + capacity + "}";
  }
}
