package dev.jpd.server.testing;

import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One RegionHeartbeat stream, as a store's: send heartbeats, read what the PD answers. */
public final class HeartbeatClient implements AutoCloseable {
  private final BlockingQueue<Pdpb.RegionHeartbeatResponse> responses = new LinkedBlockingQueue<>();
  private final StreamObserver<Pdpb.RegionHeartbeatRequest> requests;
  private volatile Throwable error;
  private volatile boolean completed;

  HeartbeatClient(PDGrpc.PDStub stub) {
    requests =
        stub.regionHeartbeat(
            new StreamObserver<>() {
              @Override
              public void onNext(Pdpb.RegionHeartbeatResponse value) {
                responses.add(value);
              }

              @Override
              public void onError(Throwable t) {
                error = t;
              }

              @Override
              public void onCompleted() {
                completed = true;
              }
            });
  }

  public void send(Pdpb.RegionHeartbeatRequest req) {
    requests.onNext(req);
  }

  /** The next response within {@code timeout}, or null. */
  public Pdpb.RegionHeartbeatResponse next(Duration timeout) throws InterruptedException {
    return responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Throwable error() {
    return error;
  }

  public boolean completed() {
    return completed;
  }

  @Override
  public void close() {
    requests.onCompleted();
  }
}
