package dev.jpd.scheduler.operator;

import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The heartbeat streams as a list of what was sent; a store can lose its stream. */
final class RecordingSink implements CommandSink {
  record Sent(long storeId, Pdpb.RegionHeartbeatResponse msg) {}

  private final List<Sent> sent = new ArrayList<>();
  private final Set<Long> noStream = new HashSet<>();

  @Override
  public synchronized boolean send(long storeId, Pdpb.RegionHeartbeatResponse msg) {
    if (noStream.contains(storeId)) {
      return false;
    }
    sent.add(new Sent(storeId, msg));
    return true;
  }

  synchronized void loseStream(long storeId) {
    noStream.add(storeId);
  }

  synchronized void restoreStream(long storeId) {
    noStream.remove(storeId);
  }

  synchronized List<Sent> all() {
    return List.copyOf(sent);
  }

  /** What was sent since the last call. */
  synchronized List<Sent> drain() {
    List<Sent> out = List.copyOf(sent);
    sent.clear();
    return out;
  }
}
