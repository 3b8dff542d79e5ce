package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegionHeartbeatStreamTest {
  /**
   * Answers a heartbeat for region r with a response for r, stays silent for even regions, ends
   * the stream with an error on region 0 and completes it when the store half-closes.
   */
  static final class FakePd extends PDGrpc.PDImplBase {
    final List<Long> heard = new CopyOnWriteArrayList<>();
    final AtomicInteger halfClosed = new AtomicInteger();

    @Override
    public StreamObserver<Pdpb.RegionHeartbeatRequest> regionHeartbeat(
        StreamObserver<Pdpb.RegionHeartbeatResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(Pdpb.RegionHeartbeatRequest r) {
          long id = r.getRegion().getId();
          heard.add(id);
          if (id == 0) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("region id 0").asException());
          } else if (id % 2 == 1) {
            out.onNext(Pdpb.RegionHeartbeatResponse.newBuilder().setRegionId(id).build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          halfClosed.incrementAndGet();
          out.onCompleted();
        }
      };
    }
  }

  final FakePd pd = new FakePd();
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(pd).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  static Pdpb.RegionHeartbeatRequest heartbeat(long regionId) {
    Metapb.Peer leader = TikvMeta.peer(100 + regionId, 1);
    return RegionHeartbeatStream.heartbeat(
        Pdpb.RequestHeader.getDefaultInstance(),
        TikvMeta.region(regionId, "", "", 1, 1, leader),
        leader);
  }

  @Test
  void aQuietHeartbeatCarriesTheHeaderRegionLeaderAndAFullRegionsSize() {
    Pdpb.RequestHeader h = Pdpb.RequestHeader.newBuilder().setClusterId(42).build();
    Metapb.Region r = TikvMeta.region(2, "", "", 2, 1, TikvMeta.peer(3, 1), TikvMeta.peer(4, 2));
    Pdpb.RegionHeartbeatRequest hb = RegionHeartbeatStream.heartbeat(h, r, r.getPeers(1));
    assertThat(hb.getHeader().getClusterId()).isEqualTo(42);
    assertThat(hb.getRegion()).isEqualTo(r);
    assertThat(hb.getLeader().getId()).isEqualTo(4);
    assertThat(hb.getApproximateSize()).isEqualTo(96L << 20);
    assertThat(hb.getApproximateKeys()).isEqualTo(960_000);
    assertThat(hb.getTerm()).isEqualTo(1);
    assertThat(hb.getDownPeersList()).isEmpty();
    assertThat(hb.getPendingPeersList()).isEmpty();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5); // polling a condition, not waiting for one to happen by itself
    }
  }

  @Test
  void responsesComeBackInOrderAndOnlyWhenThePdAnswers() throws Exception {
    try (RegionHeartbeatStream s = RegionHeartbeatStream.open(channel)) {
      s.send(heartbeat(1));
      s.send(heartbeat(2));
      s.send(heartbeat(3));
      assertThat(s.next(Duration.ofSeconds(10)).getRegionId()).isEqualTo(1);
      assertThat(s.next(Duration.ofSeconds(10)).getRegionId()).isEqualTo(3);
      await(() -> pd.heard.size() == 3);
      assertThat(s.next(Duration.ZERO)).isNull();
      assertThat(s.error()).isNull();
      assertThat(s.completed()).isFalse();
    }
  }

  @Test
  void closeHalfClosesThePdCompletesAndFurtherSendsAreRefused() throws Exception {
    RegionHeartbeatStream s = RegionHeartbeatStream.open(channel);
    s.send(heartbeat(1));
    s.close();
    await(s::completed);
    assertThat(pd.halfClosed).hasValue(1);
    assertThat(s.next(Duration.ofSeconds(10)).getRegionId()).isEqualTo(1);
    assertThatThrownBy(() -> s.send(heartbeat(3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    s.close(); // a second close does nothing
    assertThat(pd.halfClosed).hasValue(1);
    assertThat(pd.heard).containsExactly(1L);
  }

  @Test
  void anErrorFromThePdIsKeptAndSendingAfterItIsRefusedWithTheReason() throws Exception {
    try (RegionHeartbeatStream s = RegionHeartbeatStream.open(channel)) {
      s.send(heartbeat(0));
      await(() -> s.error() != null);
      assertThat(Status.fromThrowable(s.error()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(s.completed()).isFalse();
      assertThatThrownBy(() -> s.send(heartbeat(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ended by the PD")
          .hasMessageContaining("region id 0");
      assertThat(pd.heard).containsExactly(0L);
    }
  }

  @Test
  void withAListenerResponsesAndTheEndGoToItNotToTheQueue() throws Exception {
    List<Long> got = new CopyOnWriteArrayList<>();
    List<String> ends = new CopyOnWriteArrayList<>();
    RegionHeartbeatStream s =
        new RegionHeartbeatStream(
            PDGrpc.newStub(channel),
            new RegionHeartbeatStream.Listener() {
              @Override
              public void onResponse(Pdpb.RegionHeartbeatResponse response) {
                got.add(response.getRegionId());
              }

              @Override
              public void onEnd(Throwable error) {
                ends.add(error == null ? "completed" : "error");
              }
            });
    assertThat(s.offer(heartbeat(5))).isTrue();
    s.close();
    await(() -> !ends.isEmpty());
    assertThat(got).containsExactly(5L);
    assertThat(ends).containsExactly("completed");
    assertThat(s.next(Duration.ZERO)).isNull();
    assertThat(s.offer(heartbeat(7))).isFalse();
    assertThat(pd.heard).containsExactly(5L);
  }
}
