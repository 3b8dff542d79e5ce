package dev.jpd.simulator;

import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The {@code Tso} stream as a TiKV client uses it, and the 64-bit form of a timestamp.
 *
 * <p>A PD answers each {@code TsoRequest{count}} with one response holding the <em>last</em>
 * timestamp of a batch of {@code count} consecutive ones; {@link #first} recovers the batch's
 * first. A timestamp packs physical milliseconds above {@value #LOGICAL_BITS} logical bits.
 */
public final class TsoStream {
  /** Bits of the logical counter in a packed timestamp (PD's and TiKV's). */
  public static final int LOGICAL_BITS = 18;

  private static final long MAX_LOGICAL = (1L << LOGICAL_BITS) - 1;
  private static final long MAX_PHYSICAL = (1L << (63 - LOGICAL_BITS)) - 1;
  private static final long CALL_DEADLINE_SECONDS = 30;

  private TsoStream() {}

  /**
   * Opens one Tso stream, sends one request per count (in order, {@code header} on each),
   * half-closes, and returns the responses once the PD has completed the stream (it must, on
   * half-close). The counts are sent as given, so a test can send bad ones too.
   *
   * @throws StatusException the status the PD ended the stream with, or DEADLINE_EXCEEDED when it
   *     did not end it within 30 s
   */
  public static List<Pdpb.TsoResponse> call(
      Channel channel, Pdpb.RequestHeader header, int... counts)
      throws StatusException, InterruptedException {
    List<Pdpb.TsoResponse> got = new CopyOnWriteArrayList<>();
    CompletableFuture<Status> end = new CompletableFuture<>();
    StreamObserver<Pdpb.TsoRequest> requests =
        PDGrpc.newStub(channel)
            .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
            .tso(
                new StreamObserver<>() {
                  @Override
                  public void onNext(Pdpb.TsoResponse value) {
                    got.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    end.complete(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    end.complete(Status.OK);
                  }
                });
    for (int count : counts) {
      requests.onNext(Pdpb.TsoRequest.newBuilder().setHeader(header).setCount(count).build());
    }
    requests.onCompleted();
    Status status;
    try {
      status = end.get(); // bounded: the call's deadline ends the stream at the latest
    } catch (ExecutionException e) {
      throw new IllegalStateException("the end of a Tso stream is never exceptional", e);
    }
    if (!status.isOk()) {
      throw status.asException();
    }
    return List.copyOf(got);
  }

  /**
   * Packs a timestamp: {@code physical << 18 | logical}.
   *
   * @throws IllegalArgumentException when {@code logical} is outside [0, 2^18) or {@code
   *     physical} is negative or needs more than 45 bits (the packed value stays positive)
   */
  public static long pack(long physical, long logical) {
    if (logical < 0 || logical > MAX_LOGICAL) {
      throw new IllegalArgumentException(
          "logical " + logical + " out of range: want 0.." + MAX_LOGICAL + " (18 bits)");
    }
    if (physical < 0 || physical > MAX_PHYSICAL) {
      throw new IllegalArgumentException(
          "physical " + physical + " out of range: want 0.." + MAX_PHYSICAL + " milliseconds");
    }
    return (physical << LOGICAL_BITS) | logical;
  }

  /** {@link #pack(long, long)} of a wire timestamp. */
  public static long pack(Pdpb.Timestamp t) {
    return pack(t.getPhysical(), t.getLogical());
  }

  /** The physical milliseconds of a packed timestamp. */
  public static long physical(long packed) {
    return packed >>> LOGICAL_BITS;
  }

  /** The logical counter of a packed timestamp. */
  public static long logical(long packed) {
    return packed & MAX_LOGICAL;
  }

  /**
   * The packed first timestamp of the batch a response stands for: its timestamp is the batch's
   * last, the batch has {@code count} consecutive ones.
   *
   * @throws IllegalArgumentException when the response's count is below 1 or above its logical
   *     counter plus one (a batch never spans a physical tick)
   */
  public static long first(Pdpb.TsoResponse r) {
    long last = pack(r.getTimestamp());
    if (r.getCount() < 1 || r.getCount() > logical(last) + 1) {
      throw new IllegalArgumentException(
          "a response for count "
              + r.getCount()
              + " cannot end at logical "
              + logical(last)
              + ": want 1 <= count <= logical + 1");
    }
    return last - r.getCount() + 1;
  }
}
