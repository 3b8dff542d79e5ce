package dev.jpd.server.grpc;

import static dev.jpd.server.testing.TestPd.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.TestPd;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class StoreRpcTest {
  @TempDir Path dir;
  TestPd pd;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.bootstrap();
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  @Test
  void putStoreRegistersAndUpdatesAStore() {
    pd.putStore(2);
    Metapb.Store updated = store(2).toBuilder().setVersion("8.5.1").addLabels(label("zone", "z1")).build();
    assertThat(put(updated).hasError()).isFalse();
    Pdpb.GetStoreResponse r = getStore(2);
    assertThat(r.getStore().getVersion()).isEqualTo("8.5.1");
    assertThat(r.getStore().getLabelsList()).containsExactly(label("zone", "z1"));
    assertThat(r.getStore().getState()).isEqualTo(Metapb.StoreState.Up);
  }

  @Test
  void aDuplicateAddressIsRefusedAndChangesNothing() {
    pd.putStore(2);
    Metapb.Store clash = store(3).toBuilder().setAddress(store(2).getAddress()).build();
    Pdpb.ResponseHeader h = put(clash);
    assertThat(h.getError().getMessage()).contains("duplicated store address").contains(store(2).getAddress());
    assertThat(getStore(3).getHeader().getError().getMessage()).contains("invalid store ID 3, not found");
  }

  @Test
  void aTombstoneStoreCannotComeBackAndItsAddressIsFree() {
    pd.putStore(2);
    pd.server().cluster().setStoreState(2, Metapb.StoreState.Tombstone);
    Pdpb.ResponseHeader h = put(store(2));
    assertThat(h.getError().getType()).isEqualTo(Pdpb.ErrorType.STORE_TOMBSTONE);
    assertThat(getStore(2).getStore().getState()).isEqualTo(Metapb.StoreState.Tombstone);
    // the tombstone's address may be taken by a new store
    assertThat(put(store(4).toBuilder().setAddress(store(2).getAddress()).build()).hasError()).isFalse();
  }

  @Test
  void getAllStoresCanExcludeTombstones() {
    pd.putStore(2);
    pd.putStore(3);
    pd.server().cluster().setStoreState(3, Metapb.StoreState.Tombstone);
    assertThat(allStores(false)).extracting(Metapb.Store::getId).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(allStores(true)).extracting(Metapb.Store::getId).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void storeHeartbeatKeepsStatsOnTheStore() {
    pd.putStore(2);
    Pdpb.StoreStats stats =
        Pdpb.StoreStats.newBuilder().setStoreId(2).setCapacity(1000).setAvailable(400).setRegionCount(7).build();
    Pdpb.StoreHeartbeatResponse r =
        pd.pd().storeHeartbeat(Pdpb.StoreHeartbeatRequest.newBuilder().setHeader(pd.header()).setStats(stats).build());
    assertThat(r.getHeader().hasError()).isFalse();
    assertThat(r.getClusterVersion()).isEqualTo("8.5.0");
    assertThat(getStore(2).getStats()).isEqualTo(stats);
  }

  @Test
  void storeHeartbeatFromUnknownOrTombstoneStoreIsRefused() {
    Pdpb.StoreHeartbeatResponse unknown =
        pd.pd().storeHeartbeat(
                Pdpb.StoreHeartbeatRequest.newBuilder()
                    .setHeader(pd.header())
                    .setStats(Pdpb.StoreStats.newBuilder().setStoreId(9))
                    .build());
    assertThat(unknown.getHeader().getError().getMessage()).contains("store 9 not found");
    pd.putStore(2);
    pd.server().cluster().setStoreState(2, Metapb.StoreState.Tombstone);
    Pdpb.StoreHeartbeatResponse tomb =
        pd.pd().storeHeartbeat(
                Pdpb.StoreHeartbeatRequest.newBuilder()
                    .setHeader(pd.header())
                    .setStats(Pdpb.StoreStats.newBuilder().setStoreId(2).setCapacity(5))
                    .build());
    assertThat(tomb.getHeader().getError().getType()).isEqualTo(Pdpb.ErrorType.STORE_TOMBSTONE);
    assertThat(getStore(2).getStats().getCapacity()).isZero();
  }

  private Pdpb.ResponseHeader put(Metapb.Store s) {
    return pd.pd().putStore(Pdpb.PutStoreRequest.newBuilder().setHeader(pd.header()).setStore(s).build()).getHeader();
  }

  private Pdpb.GetStoreResponse getStore(long id) {
    return pd.pd().getStore(Pdpb.GetStoreRequest.newBuilder().setHeader(pd.header()).setStoreId(id).build());
  }

  private java.util.List<Metapb.Store> allStores(boolean excludeTombstones) {
    return pd.pd()
        .getAllStores(
            Pdpb.GetAllStoresRequest.newBuilder()
                .setHeader(pd.header())
                .setExcludeTombstoneStores(excludeTombstones)
                .build())
        .getStoresList();
  }

  private static Metapb.StoreLabel label(String k, String v) {
    return Metapb.StoreLabel.newBuilder().setKey(k).setValue(v).build();
  }
}
