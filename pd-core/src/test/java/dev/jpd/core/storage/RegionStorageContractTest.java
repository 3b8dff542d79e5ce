package dev.jpd.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link RegionStorage} contract, run against every implementation. {@link #newStorage()}
 * must return an empty storage that does not flush on its own while a test runs (give it a long
 * flush interval), so that what is pending and what is stored are both observable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RegionStorageContractTest {

  /** The storage under test; the suite closes it after each test. */
  protected RegionStorage storage;

  protected abstract RegionStorage newStorage();

  /** The data of {@link #storage} again after the suite closed it; null when nothing is kept. */
  protected RegionStorage reopen() {
    return null;
  }

  @BeforeEach
  void openStorage() {
    storage = newStorage();
  }

  @AfterEach
  void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }

  @Test
  void savedRegionsAreStoredByFlush() {
    storage.save(region(1, 1));
    storage.save(region(2, 1));
    assertThat(storage.pending()).isEqualTo(2);

    storage.flush();

    assertThat(storage.pending()).isZero();
    assertThat(loaded()).containsOnly(Map.entry(1L, region(1, 1)), Map.entry(2L, region(2, 1)));
  }

  @Test
  void savesOfOneRegionCoalesceAndTheNewestWins() {
    storage.save(region(1, 1));
    storage.save(region(1, 3));
    storage.save(region(1, 2));
    assertThat(storage.pending()).isEqualTo(1);

    storage.flush();

    assertThat(loaded()).containsOnly(Map.entry(1L, region(1, 2)));
  }

  @Test
  void deleteAfterSaveWins() {
    storage.save(region(1, 1));
    storage.save(region(2, 1));
    storage.delete(1);
    assertThat(storage.pending()).isEqualTo(2);

    storage.flush();

    assertThat(loaded()).containsOnly(Map.entry(2L, region(2, 1)));
  }

  @Test
  void saveAfterDeleteWins() {
    storage.save(region(1, 1));
    storage.flush();

    storage.delete(1);
    storage.save(region(1, 2));
    assertThat(storage.pending()).isEqualTo(1);
    storage.flush();

    assertThat(loaded()).containsOnly(Map.entry(1L, region(1, 2)));
  }

  @Test
  void deleteRemovesStoredRegion() {
    storage.save(region(1, 1));
    storage.save(region(2, 1));
    storage.flush();

    storage.delete(2);
    storage.flush();

    assertThat(loaded()).containsOnly(Map.entry(1L, region(1, 1)));
  }

  @Test
  void deleteOfUnknownRegionAndEmptyFlushAreHarmless() {
    storage.flush();
    storage.delete(42);
    storage.flush();

    assertThat(storage.pending()).isZero();
    assertThat(loaded()).isEmpty();
  }

  @Test
  void loadAllReturnsEveryRegionIntact() {
    List<Metapb.Region> regions = new ArrayList<>();
    for (long id = 1; id <= 1000; id++) {
      regions.add(region(id, id % 7));
    }
    regions.add(region(-1L, 1)); // id 2^64-1: the key encoding is unsigned
    regions.forEach(storage::save);
    storage.flush();

    Map<Long, Metapb.Region> loaded = loaded();
    assertThat(loaded).hasSize(regions.size());
    for (Metapb.Region r : regions) {
      assertThat(loaded.get(r.getId())).isEqualTo(r);
    }
  }

  @Test
  void closeFlushesAndReopenLoadsTheRegions() {
    storage.save(region(1, 1));
    storage.save(region(2, 1));
    storage.flush();
    storage.delete(2);
    storage.save(region(3, 5));
    storage.close();

    RegionStorage again = reopen();
    assumeTrue(again != null, "this RegionStorage keeps nothing across a close");
    storage = again;

    assertThat(storage.pending()).isZero();
    assertThat(loaded()).containsOnly(Map.entry(1L, region(1, 1)), Map.entry(3L, region(3, 5)));
  }

  @Test
  void callsAfterCloseThrow() {
    storage.close();

    assertThatThrownBy(() -> storage.save(region(1, 1))).isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(() -> storage.delete(1)).isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(() -> storage.flush()).isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(() -> storage.loadAll(r -> {})).isInstanceOf(MetaStoreException.class);
    storage.close(); // a second close is harmless
  }

  // ---- helpers ------------------------------------------------------------------------------

  protected Map<Long, Metapb.Region> loaded() {
    Map<Long, Metapb.Region> out = new HashMap<>();
    storage.loadAll(
        r -> {
          if (out.put(r.getId(), r) != null) {
            throw new AssertionError("region " + r.getId() + " loaded twice");
          }
        });
    return out;
  }

  /** A region with three voters; {@code version} makes versions of one region tell apart. */
  public static Metapb.Region region(long id, long version) {
    Metapb.Region.Builder b =
        Metapb.Region.newBuilder()
            .setId(id)
            .setStartKey(ByteString.copyFromUtf8("t" + id))
            .setEndKey(ByteString.copyFromUtf8("t" + id + "~"))
            .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(3).setVersion(version));
    for (long store = 1; store <= 3; store++) {
      b.addPeers(Metapb.Peer.newBuilder().setId(id * 10 + store).setStoreId(store));
    }
    return b.build();
  }
}
