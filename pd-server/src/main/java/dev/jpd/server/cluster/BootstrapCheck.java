package dev.jpd.server.cluster;

import dev.jpd.proto.Metapb;

/** PD's checks on a Bootstrap request: one store and one region that spans every key. */
final class BootstrapCheck {
  private BootstrapCheck() {}

  static void validate(Metapb.Store store, Metapb.Region region) {
    if (store == null || store.equals(Metapb.Store.getDefaultInstance())) {
      throw PdException.unknown("missing store meta for bootstrap");
    }
    if (store.getId() == 0) {
      throw PdException.unknown("invalid zero store id for bootstrap");
    }
    if (store.getAddress().isEmpty()) {
      throw PdException.unknown("invalid bootstrap store " + store.getId() + ": empty address");
    }
    if (region == null || region.equals(Metapb.Region.getDefaultInstance())) {
      throw PdException.unknown("missing region meta for bootstrap");
    }
    if (region.getId() == 0) {
      throw PdException.unknown("invalid zero region id for bootstrap");
    }
    if (!region.getStartKey().isEmpty()) {
      throw PdException.unknown("invalid start key for bootstrap: must be empty");
    }
    if (!region.getEndKey().isEmpty()) {
      throw PdException.unknown("invalid end key for bootstrap: must be empty");
    }
    if (region.getPeersCount() != 1) {
      throw PdException.unknown(
          "invalid peer number for bootstrap: want 1, got " + region.getPeersCount());
    }
    Metapb.Peer peer = region.getPeers(0);
    if (peer.getStoreId() != store.getId()) {
      throw PdException.unknown(
          "invalid peer store for bootstrap: peer on store "
              + peer.getStoreId()
              + ", bootstrap store "
              + store.getId());
    }
    if (peer.getId() == 0) {
      throw PdException.unknown("invalid zero peer id for bootstrap");
    }
  }
}
