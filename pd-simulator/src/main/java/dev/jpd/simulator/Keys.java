package dev.jpd.simulator;

import com.google.protobuf.ByteString;
import java.math.BigInteger;

/**
 * The simulated key space: keys are 8-byte big-endian unsigned numbers, the empty key stands for
 * the start (as a start key) or the end (as an end key) of everything. Splitting a range at its
 * numeric midpoint keeps keys sorted exactly as PD compares them (unsigned byte order).
 */
final class Keys {
  private static final BigInteger END = BigInteger.ONE.shiftLeft(64);

  private Keys() {}

  static BigInteger startValue(ByteString start) {
    return start.isEmpty() ? BigInteger.ZERO : new BigInteger(1, start.toByteArray());
  }

  static BigInteger endValue(ByteString end) {
    return end.isEmpty() ? END : new BigInteger(1, end.toByteArray());
  }

  static ByteString key(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[8];
    int n = Math.min(8, raw.length);
    System.arraycopy(raw, raw.length - n, out, 8 - n, n);
    return ByteString.copyFrom(out);
  }

  /**
   * {@code count} keys that cut [start, end) into {@code count + 1} equal parts, in order; fewer
   * when the range is too narrow to cut.
   */
  static java.util.List<ByteString> cuts(ByteString start, ByteString end, int count) {
    BigInteger lo = startValue(start);
    BigInteger width = endValue(end).subtract(lo);
    java.util.List<ByteString> out = new java.util.ArrayList<>(count);
    BigInteger parts = BigInteger.valueOf(count + 1L);
    for (int i = 1; i <= count; i++) {
      BigInteger k = lo.add(width.multiply(BigInteger.valueOf(i)).divide(parts));
      ByteString key = key(k);
      if (k.compareTo(lo) > 0 && (out.isEmpty() || !out.get(out.size() - 1).equals(key))) {
        out.add(key);
      }
    }
    return out;
  }

  /** Whether {@code key} lies strictly inside (start, end). */
  static boolean strictlyInside(ByteString key, ByteString start, ByteString end) {
    BigInteger k = startValue(key);
    return !key.isEmpty()
        && k.compareTo(startValue(start)) > 0
        && k.compareTo(endValue(end)) < 0;
  }

  static String text(ByteString key) {
    if (key.isEmpty()) {
      return "\"\"";
    }
    StringBuilder b = new StringBuilder();
    for (byte x : key) {
      b.append(String.format("%02X", x));
    }
    return b.toString();
  }
}
