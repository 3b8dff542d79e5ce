package dev.jpd.simulator;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code RegionHeartbeat} stream to a PD, as a TiKV store holds it: the store sends a
 * heartbeat per region it leads, the PD answers on the same stream only when it has a command
 * (change peer, transfer leader, split, merge) or an error.
 *
 * <p>Opened with {@link #open}, responses are queued and read in order with {@link #next}; the
 * simulator's own client opens it with a {@link Listener} instead, so every store's answers land in
 * one queue. Once the PD ends the stream ({@link #error} or {@link #completed}) or the owner
 * {@link #close closes} it, {@link #send} refuses. Safe to use from several threads.
 */
public final class RegionHeartbeatStream implements AutoCloseable {
  /** Where a stream opened by the simulator delivers what the PD sends. */
  interface Listener {
    void onResponse(Pdpb.RegionHeartbeatResponse response);

    /** The stream ended: {@code error} is null when the PD completed it normally. */
    void onEnd(Throwable error);
  }

  private final BlockingQueue<Pdpb.RegionHeartbeatResponse> responses = new LinkedBlockingQueue<>();
  private final StreamObserver<Pdpb.RegionHeartbeatRequest> requests;
  private volatile Throwable error;
  private volatile boolean completed;
  private boolean closed;

  /** TiKV's default region split size and keys, which a quiet full region reports. */
  static final long REGION_SIZE = 96L << 20;

  static final long REGION_KEYS = 960_000;

  /**
   * The heartbeat a leader sends for a quiet region: {@code region} led by {@code leader} at
   * term 1, as large as TiKV's default split size (96 MiB, 960 000 keys), no flow, no down or
   * pending peers. Add those with {@code toBuilder()}.
   */
  public static Pdpb.RegionHeartbeatRequest heartbeat(
      Pdpb.RequestHeader header, Metapb.Region region, Metapb.Peer leader) {
    return Pdpb.RegionHeartbeatRequest.newBuilder()
        .setHeader(header)
        .setRegion(region)
        .setLeader(leader)
        .setApproximateSize(REGION_SIZE)
        .setApproximateKeys(REGION_KEYS)
        .setTerm(1)
        .build();
  }

  /** Opens a stream on {@code channel}; responses are queued for {@link #next}. */
  public static RegionHeartbeatStream open(Channel channel) {
    return new RegionHeartbeatStream(PDGrpc.newStub(channel), null);
  }

  RegionHeartbeatStream(PDGrpc.PDStub stub, Listener listener) {
    requests =
        stub.regionHeartbeat(
            new StreamObserver<>() {
              @Override
              public void onNext(Pdpb.RegionHeartbeatResponse value) {
                if (listener == null) {
                  responses.add(value);
                } else {
                  listener.onResponse(value);
                }
              }

              @Override
              public void onError(Throwable t) {
                error = t;
                if (listener != null) {
                  listener.onEnd(t);
                }
              }

              @Override
              public void onCompleted() {
                completed = true;
                if (listener != null) {
                  listener.onEnd(null);
                }
              }
            });
  }

  /**
   * Sends one heartbeat.
   *
   * @throws IllegalStateException when the stream was closed or the PD has ended it; open a new
   *     stream, as TiKV does
   */
  public synchronized void send(Pdpb.RegionHeartbeatRequest request) {
    if (closed) {
      throw new IllegalStateException("region heartbeat stream is closed: open a new one to send");
    }
    if (!offer(request)) {
      throw new IllegalStateException(
          "region heartbeat stream was ended by the PD ("
              + (error != null ? error : "completed")
              + "): open a new one to send");
    }
  }

  /**
   * Sends one heartbeat unless the stream is known to have ended (then false, and nothing sent).
   * A heartbeat sent while the PD is ending the stream is lost, as it would be for a TiKV.
   */
  synchronized boolean offer(Pdpb.RegionHeartbeatRequest request) {
    if (closed || error != null || completed) {
      return false;
    }
    requests.onNext(request);
    return true;
  }

  /**
   * The next queued response, waiting up to {@code timeout}; null when none came in time. Always
   * null on a stream opened with a listener (the listener got them).
   */
  public Pdpb.RegionHeartbeatResponse next(Duration timeout) throws InterruptedException {
    return responses.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The error the PD ended the stream with, or null. */
  public Throwable error() {
    return error;
  }

  /** Whether the PD completed the stream normally. */
  public boolean completed() {
    return completed;
  }

  /** Half-closes the stream (the PD then completes it); closing twice does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (error == null) {
      requests.onCompleted();
    }
  }
}
