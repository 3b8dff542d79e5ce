package dev.jpd.core.storage;

import java.nio.ByteBuffer;

/** 8-byte big-endian encoding of an unsigned 64-bit value, as PD stores ids and windows. */
public final class Bytes8 {
  private Bytes8() {}

  public static byte[] encode(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  /** Decodes 8 bytes; anything else is corrupt metadata and fails loudly with the key named. */
  public static long decode(String key, byte[] value) {
    if (value.length != 8) {
      throw new MetaStoreException(
          "corrupt value under " + key + ": want 8 bytes, found " + value.length);
    }
    return ByteBuffer.wrap(value).getLong();
  }
}
