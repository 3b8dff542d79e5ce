package dev.jpd.simulator;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.List;

/**
 * One fake TiKV store: its meta (address, labels), whether it is running, its snapshot counters
 * and the flow it served since its last heartbeat. Used and available space are derived from the
 * regions it holds when the heartbeat is built. Touched by the driver thread only.
 */
final class SimStore {
  final long id;
  final Metapb.Store meta;
  final long capacity;
  final long startSeconds;
  boolean up = true;
  long downSinceMillis;
  int sending;
  int receiving;
  int applying;
  int peakSnapshots;
  long bytesWritten;
  long keysWritten;
  long bytesRead;
  long keysRead;
  long lastHeartbeatSeconds;

  SimStore(long id, List<Metapb.StoreLabel> labels, long capacity, long startSeconds) {
    this.id = id;
    this.meta =
        TikvMeta.store(id).toBuilder()
            .addAllLabels(labels)
            .setStartTimestamp(startSeconds)
            .build();
    this.capacity = capacity;
    this.startSeconds = startSeconds;
    this.lastHeartbeatSeconds = startSeconds;
  }

  void snapshotsChanged() {
    peakSnapshots = Math.max(peakSnapshots, sending + receiving + applying);
  }

  /** The heartbeat for the interval that ends now; resets the flow counters. */
  Pdpb.StoreStats stats(long nowSeconds, long usedSize, int regionCount) {
    long used = Math.min(capacity, usedSize);
    Pdpb.StoreStats s =
        Pdpb.StoreStats.newBuilder()
            .setStoreId(id)
            .setCapacity(capacity)
            .setAvailable(capacity - used)
            .setUsedSize(used)
            .setRegionCount(regionCount)
            .setSendingSnapCount(sending)
            .setReceivingSnapCount(receiving)
            .setApplyingSnapCount(applying)
            .setStartTime((int) startSeconds)
            .setBytesWritten(bytesWritten)
            .setKeysWritten(keysWritten)
            .setBytesRead(bytesRead)
            .setKeysRead(keysRead)
            .setInterval(
                Pdpb.TimeInterval.newBuilder()
                    .setStartTimestamp(lastHeartbeatSeconds)
                    .setEndTimestamp(nowSeconds))
            .build();
    bytesWritten = keysWritten = bytesRead = keysRead = 0;
    lastHeartbeatSeconds = nowSeconds;
    return s;
  }
}
