package dev.jpd.core.region;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * Key order as TiKV and PD see it: keys are compared byte by byte as <em>unsigned</em> values
 * ({@code 0x80} sorts after {@code 0x7f}), a shorter key that is a prefix of a longer one sorts
 * first, and the empty key is the smallest start key. As an <em>end</em> key the empty key means
 * "to the end of the key space" (+infinity). Ranges are half-open: {@code [start, end)}.
 */
public final class KeyOrder {
  private static final Comparator<ByteString> UNSIGNED =
      ByteString.unsignedLexicographicalComparator();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private KeyOrder() {}

  /** The comparator for start keys (and any non-end key): unsigned lexicographic. */
  public static Comparator<ByteString> comparator() {
    return UNSIGNED;
  }

  /** Unsigned lexicographic comparison of two keys. */
  public static int compare(ByteString a, ByteString b) {
    return UNSIGNED.compare(a, b);
  }

  /** Unsigned lexicographic comparison of two keys. */
  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** Compares two end keys, where the empty key is +infinity. */
  public static int compareEnd(ByteString a, ByteString b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isEmpty(), b.isEmpty());
    }
    return UNSIGNED.compare(a, b);
  }

  /** Whether {@code key} lies in {@code [start, end)}; an empty {@code end} is +infinity. */
  public static boolean contains(ByteString start, ByteString end, ByteString key) {
    return UNSIGNED.compare(start, key) <= 0 && (end.isEmpty() || UNSIGNED.compare(key, end) < 0);
  }

  /** Whether {@code key} lies in {@code [start, end)}; an empty {@code end} is +infinity. */
  public static boolean contains(byte[] start, byte[] end, byte[] key) {
    return contains(wrap(start), wrap(end), wrap(key));
  }

  /**
   * Whether {@code [start1, end1)} and {@code [start2, end2)} share at least one key; empty end
   * keys are +infinity. An empty range ({@code start >= end}) overlaps nothing.
   */
  public static boolean overlaps(
      ByteString start1, ByteString end1, ByteString start2, ByteString end2) {
    return startsBefore(start1, end2)
        && startsBefore(start2, end1)
        && startsBefore(start1, end1)
        && startsBefore(start2, end2);
  }

  /** Whether {@code [start1, end1)} and {@code [start2, end2)} share at least one key. */
  public static boolean overlaps(byte[] start1, byte[] end1, byte[] start2, byte[] end2) {
    return overlaps(wrap(start1), wrap(end1), wrap(start2), wrap(end2));
  }

  /** Whether {@code key < end}, with an empty {@code end} being +infinity. */
  public static boolean startsBefore(ByteString key, ByteString end) {
    return end.isEmpty() || UNSIGNED.compare(key, end) < 0;
  }

  /** Whether {@code key < end}, with an empty {@code end} being +infinity. */
  static boolean startsBefore(byte[] key, byte[] end) {
    return end.length == 0 || Arrays.compareUnsigned(key, end) < 0;
  }

  /** Upper-case hex, as PD prints keys in logs ({@code RegionToHexMeta}); "" for the empty key. */
  public static String hex(ByteString key) {
    return HEX.formatHex(key.toByteArray());
  }

  /**
   * Views {@code key} as a ByteString without copying. Only for keys that are not changed
   * afterwards, such as look-up keys that are not retained.
   */
  static ByteString wrap(byte[] key) {
    return UnsafeByteOperations.unsafeWrap(key);
  }
}
