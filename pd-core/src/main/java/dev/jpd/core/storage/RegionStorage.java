package dev.jpd.core.storage;

import dev.jpd.proto.Metapb;
import java.util.function.Consumer;

/**
 * The local region storage: region metadata written behind the heartbeats, in batches, and read
 * back at start so the region cache is warm before the stores report again (PD's LevelDB
 * {@code region-meta}). Saves coalesce per region: only the newest version of a region waiting in
 * the queue is written. A slow disk never blocks a heartbeat: {@link #save} and {@link #delete}
 * only queue.
 */
public interface RegionStorage extends AutoCloseable {

  /** Queues the region for writing; a later save of the same id replaces it in the queue. */
  void save(Metapb.Region region);

  /** Queues the removal of the region (it was merged away or overlapped by a newer one). */
  void delete(long regionId);

  /** Writes everything queued so far, durably, before returning. */
  void flush();

  /** Feeds every stored region to {@code sink}, in no particular order. */
  void loadAll(Consumer<Metapb.Region> sink);

  /** How many saves and deletes wait to be written. */
  int pending();

  /** Flushes and releases the storage. */
  @Override
  void close();
}
