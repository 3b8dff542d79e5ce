package dev.jpd.simulator;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one case against a PD: sets the cluster up over gRPC, then ticks. A tick advances the
 * simulated clock, applies the PD's commands that arrived since the last tick, runs due raft
 * work, the case's events, elections and split checks, then sends the store and region
 * heartbeats that are due. The case's check runs after every tick.
 *
 * <p>{@code tickWallMillis} paces the ticks in real time so that the PD's own timers (operator
 * push, patrol, store-down time) see time pass; 0 runs as fast as the PD answers.
 */
final class Driver {
  final SimClock clock;
  final SimCluster cluster;
  final PdClient pd;
  final SimCase simCase;
  private final RaftCommands commands;
  private final long tickWallMillis;
  private final List<String> storeErrors = new ArrayList<>();
  private final java.util.Map<Long, Long> lastStoreHeartbeat = new java.util.HashMap<>();
  long tick;
  int heartbeatsSent;
  /** Sees every command from the PD just before the stores act on it (tests record steps). */
  java.util.function.Consumer<Pdpb.RegionHeartbeatResponse> onCommand = r -> { };

  /** The PD's HTTP API (config, store delete), or null when the case was given none. */
  final PdHttp http;

  Driver(PdClient pd, SimCase simCase, SimClock clock, long tickWallMillis) {
    this(pd, null, simCase, clock, tickWallMillis);
  }

  Driver(PdClient pd, PdHttp http, SimCase simCase, SimClock clock, long tickWallMillis) {
    this.pd = pd;
    this.http = http;
    this.simCase = simCase;
    this.clock = clock;
    this.cluster = new SimCluster(clock, simCase.config());
    this.commands = new RaftCommands(cluster);
    this.tickWallMillis = tickWallMillis;
    cluster.setSplitLink(new SimCluster.SplitLink() {
      @Override
      public List<Pdpb.SplitID> askBatchSplit(Metapb.Region region, int count) {
        return pd.askBatchSplit(region, count);
      }

      @Override
      public void reportBatchSplit(List<Metapb.Region> regions) {
        pd.reportBatchSplit(regions);
      }
    });
  }

  /**
   * Bootstraps a fresh cluster (store 0 of the layout with a one-peer region over every key),
   * registers the other stores, then lays out the case's regions as if the bootstrap region had
   * been split and replicated: every region at version 1 + (regions - 1), conf_ver 1 + the
   * peers added and removed. They are all reported on the first tick.
   */
  void setup() {
    pd.connect();
    if (pd.isBootstrapped()) {
      throw new IllegalStateException(
          "the PD's cluster is already bootstrapped: a case needs a fresh PD (empty data dir)");
    }
    if (simCase.pdConfig() != null) {
      if (http == null) {
        throw new IllegalStateException("case " + simCase.name() + " sets PD config "
            + simCase.pdConfig() + ": give the PD's HTTP address (--pd-http HOST:PORT)");
      }
      http.setConfig(simCase.pdConfig()).expectOk("set PD config for " + simCase.name());
    }
    SimCase.Layout l = simCase.layout();
    List<SimStore> stores = new ArrayList<>();
    for (int i = 0; i < l.stores(); i++) {
      stores.add(cluster.addStore(pd.allocId(), l.labels().of(i)));
    }
    long firstRegion = pd.allocId();
    long firstPeer = pd.allocId();
    Metapb.Peer bootPeer = Metapb.Peer.newBuilder().setId(firstPeer).setStoreId(stores.get(0).id).build();
    Metapb.Region boot = Metapb.Region.newBuilder().setId(firstRegion)
        .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(1).setVersion(1))
        .addPeers(bootPeer).build();
    pd.bootstrap(stores.get(0).meta, boot);
    for (int i = 1; i < stores.size(); i++) {
      pd.putStore(stores.get(i).meta);
    }
    List<ByteString> cuts = Keys.cuts(ByteString.EMPTY, ByteString.EMPTY, l.regions() - 1);
    long version = 1 + cuts.size();
    for (int i = 0; i <= cuts.size(); i++) {
      ByteString start = i == 0 ? ByteString.EMPTY : cuts.get(i - 1);
      ByteString end = i == cuts.size() ? ByteString.EMPTY : cuts.get(i);
      List<Integer> where = l.placement().storeIndexes(i, stores.size());
      long id = i == 0 ? firstRegion : pd.allocId();
      Metapb.Region.Builder b = Metapb.Region.newBuilder().setId(id).setStartKey(start).setEndKey(end);
      int changes = 0;
      boolean keptBootPeer = false;
      for (int s : where) {
        if (i == 0 && s == 0) {
          b.addPeers(bootPeer);
          keptBootPeer = true;
        } else {
          b.addPeers(Metapb.Peer.newBuilder().setId(pd.allocId()).setStoreId(stores.get(s).id));
          changes++;
        }
      }
      if (i == 0 && !keptBootPeer) {
        changes++;
      }
      b.setRegionEpoch(Metapb.RegionEpoch.newBuilder()
          .setConfVer(i == 0 ? 1 + changes : where.size()).setVersion(version));
      Metapb.Region region = b.build();
      cluster.addRegion(region, region.getPeers(0).getId(), l.regionSize(), l.regionKeys());
    }
  }

  /** Adds a store at run time, as a new TiKV joining: PutStore, then heartbeats from the next tick. */
  SimStore addStore(List<Metapb.StoreLabel> labels) {
    SimStore s = cluster.addStore(pd.allocId(), labels);
    pd.putStore(s.meta);
    return s;
  }

  /**
   * Takes a store offline through the PD's HTTP API ({@code DELETE /store/{id}}), as an operator
   * scaling in does; the PD drains it and marks it Tombstone, and the store then stops.
   */
  void deleteStore(long storeId) {
    if (http == null) {
      throw new IllegalStateException("deleting a store needs the PD's HTTP address (--pd-http)");
    }
    http.deleteStore(storeId).expectOk("delete store " + storeId);
  }

  /** Adds or replaces a placement rule through the PD's HTTP API ({@code POST /config/rule}). */
  void setRule(String json) {
    if (http == null) {
      throw new IllegalStateException("setting a placement rule needs the PD's HTTP address"
          + " (--pd-http)");
    }
    http.setRule(json).expectOk("set placement rule " + json);
  }

  /** Stops a store: no more heartbeats from it; its peers show as down on other leaders. */
  void stopStore(long storeId) {
    cluster.stopStore(storeId);
    pd.closeStream(storeId);
  }

  void tick() {
    if (tick > 0) {
      clock.advance(cluster.config.tickMillis());
    }
    tick++;
    Pdpb.RegionHeartbeatResponse resp;
    while ((resp = pd.responses.poll()) != null) {
      onCommand.accept(resp);
      commands.handle(resp);
    }
    cluster.runDueTasks();
    simCase.events().tick(this, tick);
    cluster.electLeaders();
    cluster.checkSplits();
    for (SimStore s : cluster.stores.values()) {
      Long last = lastStoreHeartbeat.get(s.id);
      if (s.up && (last == null || clock.nowMillis() - last >= cluster.config.storeHeartbeatMillis())) {
        lastStoreHeartbeat.put(s.id, clock.nowMillis());
        try {
          pd.storeHeartbeat(s.stats(clock.nowSeconds(), cluster.usedSize(s.id), cluster.regionCount(s.id)));
        } catch (RuntimeException e) {
          storeErrors.add("store " + s.id + ": " + e.getMessage());
        }
      }
    }
    for (SimRegion r : RegionReports.due(cluster)) {
      pd.regionHeartbeat(r.leader().getStoreId(), RegionReports.build(cluster, r));
      heartbeatsSent++;
    }
  }

  /** Ticks until the check passes or the case's time bound runs out. */
  CaseResult run() throws InterruptedException {
    long wallStart = System.nanoTime();
    long simStart = clock.nowMillis();
    SimCase.Verdict v = SimCase.Verdict.notYet("not checked yet");
    while (true) {
      tick();
      v = simCase.check().check(this);
      if (v.ok() || clock.nowMillis() - simStart >= simCase.boundMillis()) {
        break;
      }
      if (tickWallMillis > 0) {
        Thread.sleep(tickWallMillis);
      }
    }
    return new CaseResult(simCase.name(), v.ok(), tick, clock.nowMillis() - simStart,
        (System.nanoTime() - wallStart) / 1_000_000, new java.util.TreeMap<>(cluster.operators),
        cluster.peakSnapshots(), v.detail(), v.ok() ? "" : state());
  }

  /** What the simulated cluster looks like now, for a failed case. */
  String state() {
    StringBuilder b = new StringBuilder();
    for (SimStore s : cluster.stores.values()) {
      b.append(String.format("  store %d %s regions=%d leaders=%d used=%dMiB snapshots(send/recv/apply)=%d/%d/%d%n",
          s.id, s.up ? "up" : "down", cluster.regionCount(s.id), cluster.leaderCount(s.id),
          cluster.usedSize(s.id) >> 20, s.sending, s.receiving, s.applying));
    }
    b.append(String.format("  regions=%d splits=%d queued-raft-tasks=%d heartbeats-sent=%d%n",
        cluster.sortedRegions().size(), cluster.splits, cluster.queuedTasks(), heartbeatsSent));
    b.append(String.format("  refused-commands=%d%s%n", cluster.refused,
        cluster.lastRefusal.isEmpty() ? "" : " last: " + cluster.lastRefusal));
    for (String e : storeErrors.subList(Math.max(0, storeErrors.size() - 3), storeErrors.size())) {
      b.append("  store heartbeat error: ").append(e).append('\n');
    }
    for (String e : pd.streamErrors) {
      b.append("  ").append(e).append('\n');
    }
    return b.toString();
  }
}
