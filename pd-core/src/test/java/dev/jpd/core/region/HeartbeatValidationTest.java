package dev.jpd.core.region;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeartbeatValidationTest {

  private static Pdpb.RegionHeartbeatRequest valid() {
    return Hb.of(5, "a", "c").stores(1, 2, 3).leader(2).request();
  }

  private static Arguments row(
      String name, UnaryOperator<Pdpb.RegionHeartbeatRequest.Builder> change, String error) {
    return Arguments.of(Named.of(name, change.apply(valid().toBuilder()).build()), error);
  }

  private static Metapb.Region.Builder region(Pdpb.RegionHeartbeatRequest.Builder b) {
    return b.getRegionBuilder();
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("well-formed", b -> b, null),
        row("empty end key is +infinity", b -> {
          region(b).clearEndKey();
          return b;
        }, null),
        row("empty start key", b -> {
          region(b).clearStartKey();
          return b;
        }, null),
        row("region missing", Pdpb.RegionHeartbeatRequest.Builder::clearRegion,
            "invalid region heartbeat: region is missing"),
        row("region id 0", b -> {
          region(b).setId(0);
          return b;
        }, "invalid region heartbeat: region id is 0"),
        row("region epoch missing", b -> {
          region(b).clearRegionEpoch();
          return b;
        }, "invalid region heartbeat: region 5 has no region epoch"),
        row("leader missing", Pdpb.RegionHeartbeatRequest.Builder::clearLeader,
            "invalid region heartbeat: region 5 has no leader"),
        row("leader id 0", b -> b.setLeader(Metapb.Peer.newBuilder().setStoreId(2)),
            "invalid region heartbeat: region 5 has no leader"),
        row("zero peers", b -> {
          region(b).clearPeers();
          return b;
        }, "invalid region heartbeat: region 5 has no peers"),
        row("leader not among peers (unknown peer id)", b -> b.setLeader(Hb.peer(5, 9)),
            "invalid region heartbeat: region 5 leader 509@9 (peer@store) is not among its peers "
                + "[501@1, 502@2, 503@3]"),
        row("leader not among peers (right id, wrong store)",
            b -> b.setLeader(Metapb.Peer.newBuilder().setId(502).setStoreId(3)),
            "invalid region heartbeat: region 5 leader 502@3 (peer@store) is not among its peers "
                + "[501@1, 502@2, 503@3]"),
        row("duplicate peer id", b -> {
          region(b).addPeers(Metapb.Peer.newBuilder().setId(502).setStoreId(4));
          return b;
        }, "invalid region heartbeat: region 5 has duplicate peer id 502 (stores 2 and 4)"),
        row("two peers on one store", b -> {
          region(b).addPeers(Metapb.Peer.newBuilder().setId(599).setStoreId(3));
          return b;
        }, "invalid region heartbeat: region 5 has two peers on store 3: peers 503 and 599"),
        row("start key equals end key", b -> {
          region(b).setStartKey(Hb.key("c"));
          return b;
        }, "invalid region heartbeat: region 5 start key 63 >= end key 63 (hex)"),
        row("start key after end key (unsigned)", b -> {
          region(b).setStartKey(Hb.key("\\x80")).setEndKey(Hb.key("\\x7F"));
          return b;
        }, "invalid region heartbeat: region 5 start key 80 >= end key 7F (hex)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void validate(Pdpb.RegionHeartbeatRequest hb, String error) {
    assertThat(HeartbeatValidation.validate(hb).orElse(null)).isEqualTo(error);
  }
}
