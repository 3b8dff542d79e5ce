package dev.jpd.server.testing;

import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** One Tso stream as a client uses it: a request per count, then half-close. */
public final class TsoClient {
  private TsoClient() {}

  /**
   * Sends one request per count and half-closes; returns the responses once the server has
   * completed the call (it must, on half-close), or throws the status the stream ended with.
   */
  public static List<Pdpb.TsoResponse> call(Channel channel, Pdpb.RequestHeader header, int... counts)
      throws Exception {
    List<Pdpb.TsoResponse> got = new CopyOnWriteArrayList<>();
    CompletableFuture<Status> end = new CompletableFuture<>();
    StreamObserver<Pdpb.TsoRequest> req =
        PDGrpc.newStub(channel)
            .tso(
                new StreamObserver<>() {
                  @Override
                  public void onNext(Pdpb.TsoResponse v) {
                    got.add(v);
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
    for (int c : counts) {
      req.onNext(Pdpb.TsoRequest.newBuilder().setHeader(header).setCount(c).build());
    }
    req.onCompleted();
    Status s = end.get(30, TimeUnit.SECONDS);
    if (!s.isOk()) {
      throw s.asException();
    }
    return List.copyOf(got);
  }

  /** The 64-bit TSO of a timestamp: physical milliseconds above 18 logical bits. */
  public static long pack(Pdpb.Timestamp t) {
    return (t.getPhysical() << 18) + t.getLogical();
  }
}
