package dev.jpd.simulator;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The fake TiKV cluster: stores, regions as raft groups, and the queue of delayed raft work.
 *
 * <p>Design note. Everything here runs on one thread (the driver's); the gRPC threads only queue
 * responses for it. A command from the PD becomes a task due after a delay measured on the
 * {@link SimClock}: one tick for a raft proposal to commit and apply, size / snapshot rate for a
 * snapshot. A change that the PD must see (conf change, leader change, split, merge) marks the
 * region dirty and the driver reports it on the same tick, as TiKV does after applying. Epochs
 * move exactly as in TiKV: each conf change +1 conf_ver (joint enter/leave: +1 per peer changed),
 * a batch split of n keys +n version on every resulting region, a merge +1 version and conf_ver
 * on the source (prepare) and max(source, target) + 1 version on the target (commit).
 */
final class SimCluster {
  /** The PD calls a region split needs; the driver wires it to gRPC, unit tests to a fake. */
  interface SplitLink {
    List<Pdpb.SplitID> askBatchSplit(Metapb.Region region, int count);

    void reportBatchSplit(List<Metapb.Region> regions);
  }

  private record Task(long dueMillis, long seq, Runnable run) {}

  final SimClock clock;
  final SimConfig config;
  final TreeMap<Long, SimStore> stores = new TreeMap<>();
  final Map<Long, SimRegion> regions = new HashMap<>();
  /** Operator steps the stores started, by kind ("add-learner", "transfer-leader", ...). */
  final Map<String, Integer> operators = new TreeMap<>();
  /** Commands refused (stale epoch, not leader, busy) with the last reason, for the state dump. */
  int refused;
  String lastRefusal = "";
  int splits;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong(Task::dueMillis).thenComparingLong(Task::seq));
  private long seq;
  private SplitLink splitLink;

  SimCluster(SimClock clock, SimConfig config) {
    this.clock = clock;
    this.config = config;
  }

  void setSplitLink(SplitLink link) {
    this.splitLink = link;
  }

  SimStore addStore(long id, List<Metapb.StoreLabel> labels) {
    SimStore s = new SimStore(id, labels, config.capacity(), clock.nowSeconds());
    stores.put(id, s);
    return s;
  }

  SimRegion addRegion(Metapb.Region meta, long leaderPeerId, long size, long keys) {
    SimRegion r = new SimRegion(meta, leaderPeerId, size, keys);
    r.dirty = true;
    regions.put(meta.getId(), r);
    return r;
  }

  void after(long delayMillis, Runnable run) {
    tasks.add(new Task(clock.nowMillis() + delayMillis, seq++, run));
  }

  void countOperator(String kind) {
    operators.merge(kind, 1, Integer::sum);
  }

  void refuse(String why) {
    refused++;
    lastRefusal = why;
  }

  /** Runs every task due by now, in due order (tasks may queue more tasks). */
  void runDueTasks() {
    while (!tasks.isEmpty() && tasks.peek().dueMillis() <= clock.nowMillis()) {
      tasks.poll().run().run();
    }
  }

  int queuedTasks() {
    return tasks.size();
  }

  /** Live regions in key order. */
  List<SimRegion> sortedRegions() {
    List<SimRegion> out = new ArrayList<>();
    for (SimRegion r : regions.values()) {
      if (!r.removed) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(r -> Keys.startValue(r.meta.getStartKey())));
    return out;
  }

  boolean storeUp(long storeId) {
    SimStore s = stores.get(storeId);
    return s != null && s.up;
  }

  void stopStore(long storeId) {
    SimStore s = stores.get(storeId);
    if (s != null && s.up) {
      s.up = false;
      s.downSinceMillis = clock.nowMillis();
    }
  }

  /** Elects a live voter for every region whose leader's store is down past the election time. */
  void electLeaders() {
    for (SimRegion r : regions.values()) {
      Metapb.Peer leader = r.leader();
      if (r.removed || (leader != null && storeUp(leader.getStoreId()))) {
        continue;
      }
      SimStore down = leader == null ? null : stores.get(leader.getStoreId());
      if (down != null && clock.nowMillis() - down.downSinceMillis < config.electionMillis()) {
        continue;
      }
      for (Metapb.Peer p : r.meta.getPeersList()) {
        if (SimRegion.isVoter(p) && storeUp(p.getStoreId()) && !r.pending.containsKey(p.getId())) {
          r.leaderPeerId = p.getId();
          r.term++;
          r.dirty = true;
          break;
        }
      }
    }
  }

  /**
   * A write of {@code bytes} over {@code keys} keys into {@code r}: the region grows, and every
   * live store holding a peer writes it (TiKV's store flow counts the raft apply on followers too).
   */
  void write(SimRegion r, long bytes, long keys) {
    r.size += bytes;
    r.keys += keys;
    r.bytesWritten += bytes;
    r.keysWritten += keys;
    for (Metapb.Peer p : r.meta.getPeersList()) {
      SimStore s = stores.get(p.getStoreId());
      if (s != null && s.up) {
        s.bytesWritten += bytes;
        s.keysWritten += keys;
      }
    }
  }

  void read(SimRegion r, long bytes, long keys) {
    r.bytesRead += bytes;
    r.keysRead += keys;
    Metapb.Peer leader = r.leader();
    if (leader != null && stores.containsKey(leader.getStoreId())) {
      SimStore s = stores.get(leader.getStoreId());
      s.bytesRead += bytes;
      s.keysRead += keys;
    }
  }

  /**
   * Regions past the split size or keys ask the PD for ids and split into even pieces at once
   * (TiKV's split checker runs on its own timer; here it runs every tick). The original region
   * keeps the rightmost piece, as TiKV's default right-derive does.
   */
  void checkSplits() {
    for (SimRegion r : new ArrayList<>(regions.values())) {
      if (r.removed || r.busy || !storeUp(r.leader().getStoreId())) {
        continue;
      }
      long bySize = r.size / Math.max(1, config.regionSplitSize());
      long byKeys = r.keys / Math.max(1, config.regionSplitKeys());
      long pieces = Math.max(bySize, byKeys);
      if (r.size > config.regionSplitSize() || r.keys > config.regionSplitKeys()) {
        split(r, Keys.cuts(r.meta.getStartKey(), r.meta.getEndKey(), (int) Math.min(10, Math.max(1, pieces))));
      }
    }
  }

  /**
   * Splits {@code r} at {@code keys} (in order, strictly inside the region) with ids from the PD,
   * then reports the batch and marks every piece for an immediate heartbeat.
   */
  void split(SimRegion r, List<ByteString> keys) {
    List<ByteString> cut = new ArrayList<>();
    for (ByteString k : keys) {
      if (Keys.strictlyInside(k, r.meta.getStartKey(), r.meta.getEndKey())
          && (cut.isEmpty() || Keys.startValue(k).compareTo(Keys.startValue(cut.get(cut.size() - 1))) > 0)) {
        cut.add(k);
      }
    }
    if (cut.isEmpty()) {
      refuse("region " + r.id() + ": no split key inside its range");
      return;
    }
    List<Pdpb.SplitID> ids;
    try {
      ids = splitLink.askBatchSplit(r.meta, cut.size());
    } catch (RuntimeException e) {
      refuse("region " + r.id() + ": AskBatchSplit failed: " + e.getMessage());
      return;
    }
    if (ids.size() != cut.size()) {
      refuse("region " + r.id() + ": AskBatchSplit gave " + ids.size() + " ids for " + cut.size() + " keys");
      return;
    }
    long version = r.meta.getRegionEpoch().getVersion() + cut.size();
    Metapb.RegionEpoch epoch = r.meta.getRegionEpoch().toBuilder().setVersion(version).build();
    int parts = cut.size() + 1;
    long partSize = r.size / parts;
    long partKeys = r.keys / parts;
    List<Metapb.Region> reported = new ArrayList<>();
    ByteString start = r.meta.getStartKey();
    int leaderIndex = r.meta.getPeersList().indexOf(r.leader());
    for (int i = 0; i < cut.size(); i++) {
      Pdpb.SplitID sid = ids.get(i);
      Metapb.Region.Builder nb =
          r.meta.toBuilder()
              .setId(sid.getNewRegionId())
              .setStartKey(start)
              .setEndKey(cut.get(i))
              .setRegionEpoch(epoch)
              .clearPeers();
      for (int p = 0; p < r.meta.getPeersCount(); p++) {
        nb.addPeers(r.meta.getPeers(p).toBuilder().setId(sid.getNewPeerIds(p)));
      }
      Metapb.Region piece = nb.build();
      SimRegion added = addRegion(piece, piece.getPeers(leaderIndex).getId(), partSize, partKeys);
      added.term = r.term;
      reported.add(piece);
      start = cut.get(i);
    }
    r.meta = r.meta.toBuilder().setStartKey(start).setRegionEpoch(epoch).build();
    r.size = partSize;
    r.keys = partKeys;
    r.dirty = true;
    reported.add(r.meta);
    splits++;
    try {
      splitLink.reportBatchSplit(reported);
    } catch (RuntimeException e) {
      refuse("region " + r.id() + ": ReportBatchSplit failed: " + e.getMessage());
    }
  }

  /** Bytes and region count held by each store (peers of live regions). */
  long usedSize(long storeId) {
    long sum = 0;
    for (SimRegion r : regions.values()) {
      if (!r.removed && r.peerOnStore(storeId) != null) {
        sum += r.size;
      }
    }
    return sum;
  }

  int regionCount(long storeId) {
    int n = 0;
    for (SimRegion r : regions.values()) {
      if (!r.removed && r.peerOnStore(storeId) != null) {
        n++;
      }
    }
    return n;
  }

  int leaderCount(long storeId) {
    int n = 0;
    for (SimRegion r : regions.values()) {
      if (!r.removed && r.leader() != null && r.leader().getStoreId() == storeId) {
        n++;
      }
    }
    return n;
  }

  Map<Long, Integer> peakSnapshots() {
    Map<Long, Integer> out = new TreeMap<>();
    stores.forEach((id, s) -> out.put(id, s.peakSnapshots));
    return out;
  }
}
