package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TikvMetaTest {
  @Test
  void aStoreHasTiKvDefaultPortsShiftedByItsIdAndTheVersion() {
    Metapb.Store s = TikvMeta.store(3);
    assertThat(s.getId()).isEqualTo(3);
    assertThat(s.getAddress()).isEqualTo("127.0.0.1:20163");
    assertThat(s.getPeerAddress()).isEqualTo("127.0.0.1:20163");
    assertThat(s.getStatusAddress()).isEqualTo("127.0.0.1:20183");
    assertThat(s.getVersion()).isEqualTo(TikvMeta.VERSION);
    assertThat(s.getLabelsList()).isEmpty();
  }

  @Test
  void storesNeverShareAnAddress() {
    assertThat(TikvMeta.store(1).getAddress()).isNotEqualTo(TikvMeta.store(2).getAddress());
  }

  @Test
  void labelsComeInKeyOrderWhateverTheMapOrder() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("zone", "z1");
    labels.put("host", "h1");
    labels.put("disk", "ssd");
    assertThat(TikvMeta.store(1, labels).getLabelsList())
        .extracting(Metapb.StoreLabel::getKey, Metapb.StoreLabel::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("disk", "ssd"),
            org.assertj.core.groups.Tuple.tuple("host", "h1"),
            org.assertj.core.groups.Tuple.tuple("zone", "z1"));
  }

  @Test
  void aVoterAndALearnerDifferOnlyInRole() {
    Metapb.Peer v = TikvMeta.peer(7, 2);
    Metapb.Peer l = TikvMeta.learner(7, 2);
    assertThat(v.getRole()).isEqualTo(Metapb.PeerRole.Voter);
    assertThat(l.getRole()).isEqualTo(Metapb.PeerRole.Learner);
    assertThat(l.getId()).isEqualTo(7);
    assertThat(l.getStoreId()).isEqualTo(2);
  }

  @Test
  void aRegionKeepsItsKeysEpochAndPeersInOrder() {
    Metapb.Region r =
        TikvMeta.region(2, "a", "m", 3, 5, TikvMeta.peer(4, 2), TikvMeta.learner(5, 3));
    assertThat(r.getId()).isEqualTo(2);
    assertThat(r.getStartKey()).isEqualTo(ByteString.copyFromUtf8("a"));
    assertThat(r.getEndKey()).isEqualTo(ByteString.copyFromUtf8("m"));
    assertThat(r.getRegionEpoch().getConfVer()).isEqualTo(3);
    assertThat(r.getRegionEpoch().getVersion()).isEqualTo(5);
    assertThat(r.getPeersList()).extracting(Metapb.Peer::getId).containsExactly(4L, 5L);
  }

  @Test
  void emptyKeysStayEmptySoTheRegionIsUnbounded() {
    Metapb.Region r = TikvMeta.region(2, "", "", 1, 1, TikvMeta.peer(3, 1));
    assertThat(r.getStartKey().isEmpty()).isTrue();
    assertThat(r.getEndKey().isEmpty()).isTrue();
  }

  @Test
  void malformedRegionsAreBuiltAsAskedSoTestsCanSendThemToThePd() {
    Metapb.Region r =
        TikvMeta.region(0, "z", "a", 0, 0, TikvMeta.peer(3, 1), TikvMeta.peer(4, 1));
    assertThat(r.getId()).isZero();
    assertThat(r.getStartKey().toStringUtf8()).isEqualTo("z");
    assertThat(r.getRegionEpoch().getConfVer()).isZero();
    assertThat(r.getPeersCount()).isEqualTo(2);
  }
}
