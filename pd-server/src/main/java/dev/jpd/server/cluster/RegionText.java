package dev.jpd.server.cluster;

import dev.jpd.proto.Metapb;
import java.util.HexFormat;

/** Short, hex-keyed renderings of regions for error messages and logs. */
public final class RegionText {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private RegionText() {}

  public static String of(Metapb.Region r) {
    return "{id: "
        + r.getId()
        + ", start_key: "
        + HEX.formatHex(r.getStartKey().toByteArray())
        + ", end_key: "
        + HEX.formatHex(r.getEndKey().toByteArray())
        + ", "
        + epoch(r.getRegionEpoch())
        + ", peers: "
        + r.getPeersCount()
        + "}";
  }

  public static String epoch(Metapb.RegionEpoch e) {
    return "version " + e.getVersion() + " conf_ver " + e.getConfVer();
  }

  public static String key(byte[] key) {
    return HEX.formatHex(key);
  }
}
