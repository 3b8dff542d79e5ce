package dev.jpd.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PeerMap} against the {@code TreeMap<Long, Peer>} it stands in for. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PeerMapTest {

  private static Metapb.Peer peer(long store, long id) {
    return Metapb.Peer.newBuilder().setStoreId(store).setId(id).build();
  }

  private static List<Metapb.Peer> values(PeerMap m) {
    List<Metapb.Peer> out = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) {
      out.add(m.peerAt(i));
    }
    return out;
  }

  @Test
  void behavesLikeATreeMapKeyedByStoreId() {
    Random r = new Random(1);
    for (int round = 0; round < 200; round++) {
      PeerMap m = new PeerMap();
      TreeMap<Long, Metapb.Peer> t = new TreeMap<>();
      for (int op = 0; op < 60; op++) {
        long store = 1 + r.nextInt(40);
        switch (r.nextInt(5)) {
          case 0, 1 -> {
            Metapb.Peer p = peer(store, r.nextInt(1000));
            m.put(p);
            t.put(store, p);
          }
          case 2 -> assertThat(m.remove(store)).isEqualTo(t.remove(store));
          case 3 -> {
            PeerMap copy = m.copy(r.nextInt(3));
            assertThat(values(copy)).isEqualTo(values(m));
            m = copy; // the copy must carry on as the map
          }
          default -> assertThat(m.get(store)).isEqualTo(t.get(store));
        }
        assertThat(m.containsKey(store)).isEqualTo(t.containsKey(store));
        assertThat(m.size()).isEqualTo(t.size());
        assertThat(m.isEmpty()).isEqualTo(t.isEmpty());
        assertThat(values(m)).containsExactlyElementsOf(t.values());
        assertThat(m.appendStores(new StringBuilder()).toString())
            .isEqualTo(t.keySet().toString().replace(",", ""));
      }
      m.clear();
      assertThat(m.isEmpty()).isTrue();
      assertThat(m.appendStores(new StringBuilder()).toString()).isEqualTo("[]");
    }
  }

  @Test
  void aCopyIsIndependent() {
    PeerMap m = new PeerMap();
    m.put(peer(2, 2));
    m.put(peer(1, 1));
    PeerMap copy = m.copy(0);
    copy.put(peer(3, 3));
    copy.remove(1);
    assertThat(values(m)).containsExactly(peer(1, 1), peer(2, 2));
    assertThat(values(copy)).containsExactly(peer(2, 2), peer(3, 3));
  }
}
