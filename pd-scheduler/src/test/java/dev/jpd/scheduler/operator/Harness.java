package dev.jpd.scheduler.operator;

import dev.jpd.core.testing.TestClock;

import dev.jpd.core.operator.AddLearner;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStep;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.operator.RemovePeer;
import dev.jpd.core.operator.TransferLeader;
import dev.jpd.core.region.RegionInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;

/**
 * A controller on a fake cluster (stores 1-5), a test clock, a recording sink and scripted
 * randomness, with one-line operator helpers. Operators are built by hand from steps against the
 * region's current epoch and size.
 */
final class Harness {
  static final long T0 = 1_700_000_000_000L;
  static final long CLUSTER_ID = 42;

  final FakeCluster cluster = new FakeCluster().addStores(1, 2, 3, 4, 5);
  final FakeConfig config = new FakeConfig();
  final RecordingSink sink = new RecordingSink();
  final TestClock clock = new TestClock(T0);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ScriptedRandom random = new ScriptedRandom();
  final OperatorController oc =
      new OperatorController(cluster, () -> config, sink, () -> CLUSTER_ID, clock, registry, random);

  Operator op(String desc, long regionId, int kinds, Priority p, OpStep... steps) {
    RegionInfo r = cluster.region(regionId);
    var epoch = r != null ? r.epoch()
        : dev.jpd.proto.Metapb.RegionEpoch.newBuilder().setVersion(10).setConfVer(10).build();
    long size = r != null ? r.approximateSize() : 100;
    return new Operator(desc, desc, regionId, epoch, kinds, size, p, List.of(steps), clock.millis());
  }

  Operator transferLeader(long regionId, long from, long to, Priority p) {
    return op("transfer-hot-read-leader", regionId, OpKind.of(OpKind.LEADER), p,
        new TransferLeader(from, to));
  }

  Operator addLearner(String desc, long regionId, long store, Priority p) {
    return op(desc, regionId, OpKind.of(OpKind.REGION), p,
        new AddLearner(store, FakeCluster.Rg.peerId(regionId, store)));
  }

  Operator removePeer(String desc, long regionId, long store, Priority p) {
    return op(desc, regionId, OpKind.of(OpKind.REPLICA), p,
        new RemovePeer(store, FakeCluster.Rg.peerId(regionId, store)));
  }

  /** Reports the region (as its leader's heartbeat would) and dispatches it. */
  RegionInfo report(FakeCluster.Rg r) {
    RegionInfo info = cluster.put(r);
    oc.dispatch(info, Operators.DispatchSource.HEARTBEAT);
    return info;
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  double events(String desc, String event) {
    Counter c = registry.find("pd_schedule_operators_count").tags("type", desc, "event", event)
        .counter();
    return c == null ? 0 : c.count();
  }

  long timerCount(String name, String type) {
    Timer t = registry.find(name).tags("type", type).timer();
    return t == null ? 0 : t.count();
  }
}
