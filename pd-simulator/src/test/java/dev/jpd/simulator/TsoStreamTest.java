package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TsoStreamTest {
  static Stream<Arguments> packed() {
    return Stream.of(
        Arguments.of(0L, 0L, 0L),
        Arguments.of(0L, 1L, 1L),
        Arguments.of(1L, 0L, 1L << 18),
        Arguments.of(1L, (1L << 18) - 1, (2L << 18) - 1),
        Arguments.of(1_700_000_000_000L, 42L, (1_700_000_000_000L << 18) + 42));
  }

  @ParameterizedTest(name = "physical {0} logical {1}")
  @MethodSource("packed")
  void packPutsPhysicalAboveEighteenLogicalBitsAndUnpacks(long physical, long logical, long want) {
    long ts = TsoStream.pack(physical, logical);
    assertThat(ts).isEqualTo(want);
    assertThat(TsoStream.physical(ts)).isEqualTo(physical);
    assertThat(TsoStream.logical(ts)).isEqualTo(logical);
    assertThat(TsoStream.pack(Pdpb.Timestamp.newBuilder().setPhysical(physical).setLogical(logical).build()))
        .isEqualTo(want);
  }

  static Stream<Arguments> badParts() {
    return Stream.of(
        Arguments.of(1L, 1L << 18, "logical 262144 out of range"),
        Arguments.of(1L, -1L, "logical -1 out of range"),
        Arguments.of(-1L, 0L, "physical -1 out of range"),
        Arguments.of(1L << 45, 0L, "physical 35184372088832 out of range"));
  }

  @ParameterizedTest(name = "physical {0} logical {1}")
  @MethodSource("badParts")
  void packRefusesPartsThatDoNotFit(long physical, long logical, String message) {
    assertThatThrownBy(() -> TsoStream.pack(physical, logical))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Pdpb.TsoResponse response(long physical, int logical, int count) {
    return Pdpb.TsoResponse.newBuilder()
        .setCount(count)
        .setTimestamp(Pdpb.Timestamp.newBuilder().setPhysical(physical).setLogical(logical))
        .build();
  }

  @Test
  void firstIsTheBatchStartCountingBackFromItsLastTimestamp() {
    assertThat(TsoStream.first(response(5, 10, 1))).isEqualTo(TsoStream.pack(5, 10));
    assertThat(TsoStream.first(response(5, 10, 10))).isEqualTo(TsoStream.pack(5, 1));
    assertThat(TsoStream.first(response(5, 10, 11))).isEqualTo(TsoStream.pack(5, 0));
  }

  @Test
  void firstRefusesABatchThatWouldCrossIntoThePreviousMillisecond() {
    assertThatThrownBy(() -> TsoStream.first(response(5, 10, 12)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count 12 cannot end at logical 10");
    assertThatThrownBy(() -> TsoStream.first(response(5, 10, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count 0");
  }

  /** Answers each request with a batch ending at logical = running total; count 0 is an error. */
  static final class FakeTso extends PDGrpc.PDImplBase {
    final AtomicLong logical = new AtomicLong();

    @Override
    public StreamObserver<Pdpb.TsoRequest> tso(StreamObserver<Pdpb.TsoResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(Pdpb.TsoRequest r) {
          if (r.getCount() == 0) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("zero count").asException());
            return;
          }
          long last = logical.addAndGet(r.getCount());
          out.onNext(response(7, (int) last, r.getCount()).toBuilder()
              .setHeader(Pdpb.ResponseHeader.newBuilder().setClusterId(r.getHeader().getClusterId()))
              .build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  Server server;
  ManagedChannel channel;

  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new FakeTso()).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void callSendsEachCountWithTheHeaderAndReturnsTheResponsesInOrder() throws Exception {
    start();
    Pdpb.RequestHeader h = Pdpb.RequestHeader.newBuilder().setClusterId(9).build();
    List<Pdpb.TsoResponse> got = TsoStream.call(channel, h, 1, 10, 3);
    assertThat(got).extracting(Pdpb.TsoResponse::getCount).containsExactly(1, 10, 3);
    assertThat(got).extracting(r -> r.getTimestamp().getLogical()).containsExactly(1L, 11L, 14L);
    assertThat(got).extracting(r -> r.getHeader().getClusterId()).containsOnly(9L);
    assertThat(TsoStream.first(got.get(1))).isEqualTo(TsoStream.pack(7, 2));
  }

  @Test
  void callThrowsTheStatusThePdEndedTheStreamWith() throws Exception {
    start();
    assertThatThrownBy(() -> TsoStream.call(channel, Pdpb.RequestHeader.getDefaultInstance(), 1, 0))
        .isInstanceOf(StatusException.class)
        .satisfies(e -> assertThat(((StatusException) e).getStatus().getCode())
            .isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("zero count");
  }
}
