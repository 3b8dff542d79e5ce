package dev.jpd.server.grpc;

import dev.jpd.proto.Pdpb;
import dev.jpd.server.tso.Timestamp;
import dev.jpd.server.tso.TsoAllocator;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * One Tso stream: one response per request carrying the LAST timestamp of the batch, so the
 * client owns {@code [logical - count + 1, logical]}. The call completes when the client
 * half-closes — client-java calls Tso as if it were unary and waits for exactly that. A bad
 * request ends the stream with a status, as Go PD does.
 */
final class TsoStream implements StreamObserver<Pdpb.TsoRequest> {
  private final TsoAllocator tso;
  private final Headers headers;
  private final StreamObserver<Pdpb.TsoResponse> out;
  private final GrpcMetrics metrics;
  private boolean done;

  TsoStream(
      TsoAllocator tso,
      Headers headers,
      StreamObserver<Pdpb.TsoResponse> out,
      GrpcMetrics metrics) {
    this.tso = tso;
    this.headers = headers;
    this.out = out;
    this.metrics = metrics;
  }

  @Override
  public void onNext(Pdpb.TsoRequest req) {
    if (done) {
      return;
    }
    long start = System.nanoTime();
    String mismatch = headers.mismatch(req.getHeader());
    if (mismatch != null) {
      fail(Status.FAILED_PRECONDITION.withDescription(mismatch));
      return;
    }
    if (req.getCount() == 0) {
      fail(Status.INVALID_ARGUMENT.withDescription("tso count should be positive, got 0"));
      return;
    }
    Timestamp ts;
    try {
      ts = tso.generate(req.getCount());
    } catch (RuntimeException e) {
      fail(Status.UNAVAILABLE.withDescription("cannot generate timestamp: " + e.getMessage()));
      return;
    }
    out.onNext(
        Pdpb.TsoResponse.newBuilder()
            .setHeader(headers.ok())
            .setCount(req.getCount())
            .setTimestamp(
                Pdpb.Timestamp.newBuilder().setPhysical(ts.physical()).setLogical(ts.logical()))
            .build());
    GrpcMetrics.since(metrics.tsoDuration, start);
    metrics.tsoBatchSize.record(req.getCount());
  }

  private void fail(Status status) {
    done = true;
    out.onError(status.asRuntimeException());
  }

  @Override
  public void onError(Throwable t) {
    done = true;
  }

  @Override
  public void onCompleted() {
    if (!done) {
      done = true;
      out.onCompleted();
    }
  }
}
