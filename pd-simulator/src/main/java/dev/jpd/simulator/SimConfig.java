package dev.jpd.simulator;

/**
 * Knobs of the simulated cluster, with pd-simulator's defaults where it has one (store heartbeat
 * 10 s, region heartbeat 60 s, 40 MB/s of snapshot I/O per store, 1 TiB stores).
 *
 * @param tickMillis simulated time per driver tick
 * @param storeHeartbeatMillis how often a live store sends StoreHeartbeat
 * @param regionHeartbeatMillis how often a leader reports an unchanged region
 * @param electionMillis how long a region whose leader store is down waits before a new leader
 * @param snapshotBytesPerSecond snapshot transfer rate: the delay of an add-peer step is size / rate
 * @param regionSplitSize a region larger than this asks the PD for a split
 * @param regionSplitKeys ... or with more keys than this
 * @param capacity bytes per store
 */
record SimConfig(
    long tickMillis,
    long storeHeartbeatMillis,
    long regionHeartbeatMillis,
    long electionMillis,
    long snapshotBytesPerSecond,
    long regionSplitSize,
    long regionSplitKeys,
    long capacity) {

  static final long MIB = 1L << 20;

  static SimConfig defaults() {
    return new SimConfig(1000, 10_000, 60_000, 10_000, 40 * MIB, 96 * MIB, 960_000, 1L << 40);
  }

  SimConfig withSplit(long size, long keys) {
    return new SimConfig(
        tickMillis, storeHeartbeatMillis, regionHeartbeatMillis, electionMillis,
        snapshotBytesPerSecond, size, keys, capacity);
  }
}
