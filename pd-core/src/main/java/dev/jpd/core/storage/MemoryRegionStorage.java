package dev.jpd.core.storage;

import dev.jpd.proto.Metapb;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The in-memory {@link RegionStorage}, for unit tests: the same queue semantics as the durable
 * one (saves and deletes coalesce per region, newest wins, nothing is stored before {@link
 * #flush}), no background flusher and no file. Nothing survives the process.
 */
public final class MemoryRegionStorage implements RegionStorage {
  /** Region id → newest queued change; empty means delete. */
  private final ConcurrentHashMap<Long, Optional<Metapb.Region>> queue = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<Long, Metapb.Region> stored = new ConcurrentHashMap<>();
  private volatile boolean closed;

  @Override
  public void save(Metapb.Region region) {
    checkOpen();
    queue.put(region.getId(), Optional.of(region));
  }

  @Override
  public void delete(long regionId) {
    checkOpen();
    queue.put(regionId, Optional.empty());
  }

  @Override
  public synchronized void flush() {
    checkOpen();
    apply();
  }

  private void apply() {
    for (Map.Entry<Long, Optional<Metapb.Region>> e : queue.entrySet()) {
      Optional<Metapb.Region> change = e.getValue();
      if (change.isPresent()) {
        stored.put(e.getKey(), change.get());
      } else {
        stored.remove(e.getKey());
      }
      // A save queued meanwhile replaced the entry: it stays queued for the next flush.
      queue.remove(e.getKey(), change);
    }
  }

  @Override
  public void loadAll(Consumer<Metapb.Region> sink) {
    checkOpen();
    stored.values().forEach(sink);
  }

  @Override
  public int pending() {
    return queue.size();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      apply();
      closed = true;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new MetaStoreException("region storage is closed");
    }
  }
}
