package dev.jpd.scheduler.operator;

import dev.jpd.proto.Pdpb;

/**
 * Where the operator controller sends commands: the region heartbeat stream of a store (the
 * server's {@code HeartbeatStreams}).
 */
@FunctionalInterface
public interface CommandSink {

  /**
   * Sends the message on the store's stream; false when the store has no stream bound (the step
   * is sent again on the next heartbeat or push once it has one).
   */
  boolean send(long storeId, Pdpb.RegionHeartbeatResponse msg);
}
