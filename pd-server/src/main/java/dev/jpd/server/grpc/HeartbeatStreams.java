package dev.jpd.server.grpc;

import dev.jpd.proto.Pdpb;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The region heartbeat streams, bound by the store whose leaders report on them (PD's
 * {@code hbstream}): one per store, rebound by the store's next heartbeat when it reconnects on a
 * new stream, unbound when a stream ends. The operator controller sends its steps through
 * {@link #send} (its {@code CommandSink}); a step sent while the store has no stream is dropped
 * and sent again on the store's next heartbeat or the next push.
 */
public final class HeartbeatStreams {
  private final ConcurrentHashMap<Long, StreamObserver<Pdpb.RegionHeartbeatResponse>> byStore =
      new ConcurrentHashMap<>();

  void bind(long storeId, StreamObserver<Pdpb.RegionHeartbeatResponse> stream) {
    byStore.put(storeId, stream);
  }

  void unbind(StreamObserver<Pdpb.RegionHeartbeatResponse> stream) {
    byStore.values().removeIf(s -> s == stream);
  }

  /** Sends on the store's stream; false when the store has none bound. */
  public boolean send(long storeId, Pdpb.RegionHeartbeatResponse msg) {
    StreamObserver<Pdpb.RegionHeartbeatResponse> s = byStore.get(storeId);
    if (s == null) {
      return false;
    }
    sendOn(s, msg);
    return true;
  }

  /** gRPC stream observers are not thread-safe: every send on one stream goes through here. */
  static void sendOn(
      StreamObserver<Pdpb.RegionHeartbeatResponse> s, Pdpb.RegionHeartbeatResponse msg) {
    synchronized (s) {
      s.onNext(msg);
    }
  }

  public int boundStores() {
    return byStore.size();
  }
}
