package dev.jpd.core.operator;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixture: the builder's view of a cluster. Stores 1..10 are Up unless changed; peer ids are
 * allocated from 100; joint consensus is on unless turned off.
 */
final class FakeCluster implements BuilderCluster {
  private final Map<Long, StoreInfo> stores = new HashMap<>();
  private final Set<Long> down = new HashSet<>();
  private final Set<Long> noLeader = new HashSet<>();
  private final List<String> labels = new ArrayList<>();
  private long nextPeerId = 100;
  private boolean joint = true;

  FakeCluster() {
    for (long id = 1; id <= 10; id++) {
      setStore(id, Metapb.StoreState.Up);
    }
  }

  FakeCluster joint(boolean on) {
    joint = on;
    return this;
  }

  FakeCluster setStore(long id, Metapb.StoreState state, String... labelPairs) {
    Metapb.Store.Builder m = Metapb.Store.newBuilder().setId(id).setAddress("s" + id)
        .setState(state);
    for (int i = 0; i + 1 < labelPairs.length; i += 2) {
      m.addLabels(Metapb.StoreLabel.newBuilder().setKey(labelPairs[i]).setValue(labelPairs[i + 1]));
    }
    stores.put(id, StoreInfo.of(m.build()));
    return this;
  }

  FakeCluster setStoreOffline(long id) {
    return setStore(id, Metapb.StoreState.Offline);
  }

  FakeCluster setStoreTombstone(long id) {
    return setStore(id, Metapb.StoreState.Tombstone);
  }

  FakeCluster removeStore(long id) {
    stores.remove(id);
    return this;
  }

  FakeCluster setStoreDown(long id) {
    down.add(id);
    return this;
  }

  /** The store refuses leaders (a {@code reject-leader} label). */
  FakeCluster rejectLeader(long id) {
    noLeader.add(id);
    return this;
  }

  FakeCluster locationLabels(String... keys) {
    labels.addAll(List.of(keys));
    return this;
  }

  @Override
  public StoreInfo store(long storeId) {
    return stores.get(storeId);
  }

  @Override
  public long allocPeerId() {
    return nextPeerId++;
  }

  @Override
  public boolean jointConsensus() {
    return joint;
  }

  @Override
  public boolean isStoreDown(long storeId) {
    return down.contains(storeId);
  }

  @Override
  public boolean allowLeaderOn(StoreInfo store) {
    return BuilderCluster.isUp(store) && !noLeader.contains(store.id());
  }

  @Override
  public List<String> locationLabels() {
    return labels;
  }
}
