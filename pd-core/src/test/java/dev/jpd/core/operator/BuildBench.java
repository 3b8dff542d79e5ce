package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import java.lang.management.ManagementFactory;

/**
 * A bench command, not a test: the cost of building the operator of a "store turned Down" burst
 * (3 voters, replace the one on the Down store, joint consensus; {@code nojoint} plans without
 * it). Prints ns/op and bytes/op allocated by this thread.
 *
 * <pre>
 *   java -cp pd-core/target/classes:pd-core/target/test-classes:proto/target/classes:DEPS \
 *       dev.jpd.core.operator.BuildBench [ops [nojoint]]
 * </pre>
 */
final class BuildBench {
  private BuildBench() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    boolean joint = !(args.length > 1 && args[1].equals("nojoint"));
    FakeCluster cluster = new FakeCluster().setStoreDown(3).joint(joint);
    RegionInfo region = Regions.region("1* 2 3");
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long sink = 0;
    for (int round = 0; round < 2; round++) {
      sink += run(cluster, region, n / 2); // warm-up
    }
    long bytes0 = mx.getThreadAllocatedBytes(tid);
    long t0 = System.nanoTime();
    sink += run(cluster, region, n);
    long t1 = System.nanoTime();
    long bytes1 = mx.getThreadAllocatedBytes(tid);
    System.out.printf("build replace-down-voter%s: %.1f ns/op, %.1f bytes/op (n=%d, sink=%d)%n",
        joint ? "" : " (no joint consensus)", (t1 - t0) / (double) n,
        (bytes1 - bytes0) / (double) n, n, sink);
    System.out.println(OperatorBuilder.of("replace-rule-down-peer", cluster, region)
        .removePeer(3).addPeer(Regions.voter(4)).build(OpKind.REPLICA.bit(), 0).orElseThrow());
  }

  private static long run(FakeCluster cluster, RegionInfo region, int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      Operator op = OperatorBuilder.of("replace-rule-down-peer", cluster, region)
          .removePeer(3).addPeer(Regions.voter(4)).build(OpKind.REPLICA.bit(), 0).value();
      sink += op.len() + op.brief().length();
    }
    return sink;
  }
}
