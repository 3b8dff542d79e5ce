package dev.jpd.core.region;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.jpd.proto.Metapb;
import java.util.List;

/**
 * The compact form of region metadata that {@link RegionInfo} keeps instead of a {@code
 * Metapb.Region}: keys as {@code byte[]}, peers packed in a {@code long[]} as {@code [id0, store0,
 * id1, store1, ...]}, roles in a {@code byte[]} that is null when every peer is a plain voter (the
 * usual case). A region with anything this form cannot carry (encryption meta, flashback, unknown
 * fields, an epoch that is absent, unrecognized roles) is kept whole as well, so that {@code
 * meta()} always equals what was reported.
 */
final class CompactMeta {
  static final byte[] EMPTY_KEY = new byte[0];
  static final long[] NO_PEERS = new long[0];
  private static final int WITNESS = 4;
  private static final int ROLE_MASK = 3;

  private CompactMeta() {}

  /** Whether {@link #build} reproduces this region exactly from the compact fields. */
  static boolean compactable(Metapb.Region r) {
    if (!r.getUnknownFields().asMap().isEmpty()
        || r.hasEncryptionMeta()
        || r.getIsInFlashback()
        || r.getFlashbackStartTs() != 0
        || !r.hasRegionEpoch()
        || !r.getRegionEpoch().getUnknownFields().asMap().isEmpty()) {
      return false;
    }
    for (Metapb.Peer p : r.getPeersList()) {
      if (!plainPeer(p)) {
        return false;
      }
    }
    return true;
  }

  /** A peer that {@link #peer} rebuilds exactly. */
  static boolean plainPeer(Metapb.Peer p) {
    return p.getUnknownFields().asMap().isEmpty()
        && p.getRoleValue() >= 0
        && p.getRoleValue() <= ROLE_MASK;
  }

  static byte[] key(ByteString k) {
    return k.isEmpty() ? EMPTY_KEY : k.toByteArray();
  }

  /** Views an array that is never written again as a ByteString, without a copy. */
  static ByteString wrap(byte[] k) {
    return k.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(k);
  }

  static long[] packPeers(List<Metapb.Peer> peers) {
    if (peers.isEmpty()) {
      return NO_PEERS;
    }
    long[] packed = new long[peers.size() * 2];
    for (int i = 0; i < peers.size(); i++) {
      packed[2 * i] = peers.get(i).getId();
      packed[2 * i + 1] = peers.get(i).getStoreId();
    }
    return packed;
  }

  /** Role value | witness bit per peer, or null when all are non-witness voters. */
  static byte[] packRoles(List<Metapb.Peer> peers) {
    byte[] roles = null;
    for (int i = 0; i < peers.size(); i++) {
      Metapb.Peer p = peers.get(i);
      int role = p.getRoleValue() >= 0 && p.getRoleValue() <= ROLE_MASK ? p.getRoleValue() : 0;
      int bits = role | (p.getIsWitness() ? WITNESS : 0);
      if (bits != 0) {
        if (roles == null) {
          roles = new byte[peers.size()];
        }
        roles[i] = (byte) bits;
      }
    }
    return roles;
  }

  static int roleValue(byte[] roles, int i) {
    return roles == null ? 0 : roles[i] & ROLE_MASK;
  }

  static Metapb.Peer peer(long[] peers, byte[] roles, int i) {
    Metapb.Peer.Builder b =
        Metapb.Peer.newBuilder().setId(peers[2 * i]).setStoreId(peers[2 * i + 1]);
    if (roles != null && roles[i] != 0) {
      b.setRoleValue(roles[i] & ROLE_MASK).setIsWitness((roles[i] & WITNESS) != 0);
    }
    return b.build();
  }

  /** Whether {@code p} is exactly the peer at {@code i}. */
  static boolean samePeer(Metapb.Peer p, long[] peers, byte[] roles, int i) {
    int bits = roles == null ? 0 : roles[i];
    return p.getId() == peers[2 * i]
        && p.getStoreId() == peers[2 * i + 1]
        && plainPeer(p)
        && p.getRoleValue() == (bits & ROLE_MASK)
        && p.getIsWitness() == ((bits & WITNESS) != 0);
  }

  static Metapb.Region build(
      long id, byte[] start, byte[] end, long version, long confVer, long[] peers, byte[] roles) {
    Metapb.Region.Builder b =
        Metapb.Region.newBuilder()
            .setId(id)
            .setStartKey(wrap(start))
            .setEndKey(wrap(end))
            .setRegionEpoch(
                Metapb.RegionEpoch.newBuilder().setVersion(version).setConfVer(confVer));
    for (int i = 0; i < peers.length / 2; i++) {
      b.addPeers(peer(peers, roles, i));
    }
    return b.build();
  }
}
