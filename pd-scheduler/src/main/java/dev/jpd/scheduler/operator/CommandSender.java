package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.OpStep;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a step into the {@code RegionHeartbeatResponse} its region's leader gets (PD's {@code
 * SendScheduleCommand} and {@code hbstream.SendMsg}): the step's command with the header, the
 * region id, the region's current epoch and the leader as target peer, sent on the leader's
 * store's stream. Stateless; any thread.
 */
final class CommandSender {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorController.class);

  private final Supplier<? extends ControllerConfig> config;
  private final CommandSink sink;
  private final LongSupplier clusterId;

  CommandSender(Supplier<? extends ControllerConfig> config, CommandSink sink, LongSupplier clusterId) {
    this.config = config;
    this.sink = sink;
    this.clusterId = clusterId;
  }

  /** Sends the step's command to the region's leader; false when it could not be delivered. */
  boolean send(RegionInfo region, OpStep step, String source) {
    LOG.info("send schedule command region-id={} step=\"{}\" source={}",
        region.id(), step, source);
    Optional<Pdpb.RegionHeartbeatResponse> cmd = step.command(region, config.get().useConfChangeV2());
    if (cmd.isEmpty()) {
      return true; // nothing to send at this point of the step
    }
    Metapb.Peer leader = region.leader();
    if (leader == null || leader.getStoreId() == 0) {
      LOG.debug("region has no leader to send to region-id={}", region.id());
      return false;
    }
    Pdpb.RegionHeartbeatResponse msg = cmd.get().toBuilder()
        .setHeader(Pdpb.ResponseHeader.newBuilder().setClusterId(clusterId.getAsLong()))
        .setRegionId(region.id())
        .setRegionEpoch(region.epoch())
        .setTargetPeer(leader)
        .build();
    boolean ok = sink.send(leader.getStoreId(), msg);
    if (!ok) {
      LOG.debug("no heartbeat stream for store, step will be sent again region-id={} store-id={}",
          region.id(), leader.getStoreId());
    }
    return ok;
  }
}
