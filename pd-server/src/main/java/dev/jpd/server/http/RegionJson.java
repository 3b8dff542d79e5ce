package dev.jpd.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.Collection;
import java.util.HexFormat;

/**
 * Regions as PD's HTTP API prints them ({@code server/api/region.go}): keys in upper-case hex,
 * {@code epoch}, peers with {@code role_name} (and {@code is_learner} for learners), leader,
 * down and pending peers, flows and approximate size (MiB) and keys. Lists are
 * {@code {"count": n, "regions": [...]}}.
 */
public final class RegionJson {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private RegionJson() {}

  public static ObjectNode of(RegionInfo r) {
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.put("id", r.id());
    n.put("start_key", hex(r.startKey()));
    n.put("end_key", hex(r.endKey()));
    ObjectNode epoch = n.putObject("epoch");
    epoch.put("conf_ver", r.confVer());
    epoch.put("version", r.version());
    ArrayNode peers = n.putArray("peers");
    r.peers().forEach(p -> peers.add(peer(p)));
    if (r.hasLeader()) {
      n.set("leader", peer(r.leader()));
    }
    if (!r.downPeers().isEmpty()) {
      ArrayNode down = n.putArray("down_peers");
      for (Pdpb.PeerStats s : r.downPeers()) {
        ObjectNode d = down.addObject();
        d.set("peer", peer(s.getPeer()));
        d.put("down_seconds", s.getDownSeconds());
      }
    }
    if (!r.pendingPeers().isEmpty()) {
      ArrayNode pending = n.putArray("pending_peers");
      r.pendingPeers().forEach(p -> pending.add(peer(p)));
    }
    n.put("cpu_usage", 0);
    n.put("written_bytes", r.writtenBytes());
    n.put("read_bytes", r.readBytes());
    n.put("written_keys", r.writtenKeys());
    n.put("read_keys", r.readKeys());
    n.put("approximate_size", r.approximateSize());
    n.put("approximate_keys", r.approximateKeys());
    return n;
  }

  public static ObjectNode list(Collection<RegionInfo> regions) {
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.put("count", regions.size());
    ArrayNode arr = n.putArray("regions");
    regions.forEach(r -> arr.add(of(r)));
    return n;
  }

  public static ObjectNode peer(Metapb.Peer p) {
    ObjectNode n = HttpApi.JSON.createObjectNode();
    n.put("id", p.getId());
    n.put("store_id", p.getStoreId());
    if (p.getRoleValue() != 0) {
      n.put("role", p.getRoleValue());
    }
    n.put("role_name", p.getRole().name());
    if (p.getRole() == Metapb.PeerRole.Learner) {
      n.put("is_learner", true);
    }
    return n;
  }

  public static String hex(ByteString key) {
    return HEX.formatHex(key.toByteArray());
  }

  /** A key a request gives in hex; a 400 naming {@code field} when the text is not hex. */
  static byte[] parseHex(String field, String text) {
    try {
      return HEX.parseHex(text);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("invalid " + field + " \"" + text + "\": not hex");
    }
  }
}
