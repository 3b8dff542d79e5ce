package dev.jpd.server.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.RegionStorage;
import dev.jpd.proto.Metapb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local region storage (PD's {@code region-meta}): serialized {@code metapb.Region} under the
 * 8-byte big-endian region id, in its own MVStore file, {@code region-meta.mv.db}, written behind
 * the heartbeats.
 *
 * <p>Design note. {@link #save} and {@link #delete} only put one small object into a concurrent
 * map keyed by region id, so the newest change of a region replaces an older one (a delete
 * replaces a save and the other way round), and they never wait for the disk. A flusher task on
 * the injected executor writes the queue every {@code flushInterval}, or at once when {@value
 * #URGENT_PENDING} changes wait; {@link #flush} writes it on the caller's thread. A flush does not
 * swap or lock the queue: it copies the entries it sees, writes them, commits and syncs once (one
 * MVStore version per batch), and only then removes each entry <em>if it is still the same
 * object</em>. A save that lands during a slow flush therefore neither waits nor gets lost: it
 * stays queued for the next batch. A failed batch leaves the queue as it was and is retried.
 * {@code flushLock} orders flushers among themselves (timer, urgent, explicit, close); savers
 * never take it. {@link #pending} counts changes not yet on disk, in-flight ones included.
 */
public final class MvStoreRegionStorage implements RegionStorage {
  /** The file inside the data dir. */
  public static final String FILE_NAME = "region-meta.mv.db";

  /** The default time a change may wait before the flusher writes it. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

  /** This many waiting changes make the flusher run at once instead of at its next tick. */
  static final int URGENT_PENDING = 100;

  private static final Logger log = LoggerFactory.getLogger(MvStoreRegionStorage.class);
  private static final String MAP_NAME = "region";

  /** Observes each batch just before its commit; a test seam for slow disks. */
  interface CommitHook {
    CommitHook NONE = batchSize -> {};

    void beforeCommit(int batchSize);
  }

  /** One queued change; compared by identity so a flush removes exactly what it wrote. */
  private static final class Change {
    final Metapb.Region region; // null: delete

    Change(Metapb.Region region) {
      this.region = region;
    }
  }

  private final Path file;
  private final MVStore mvStore;
  private final MVMap<byte[], byte[]> regions;
  private final ScheduledExecutorService executor;
  private final CommitHook hook;
  private final ConcurrentHashMap<Long, Change> queue = new ConcurrentHashMap<>();
  private final ReentrantLock flushLock = new ReentrantLock();
  private final AtomicBoolean urgentFlushQueued = new AtomicBoolean();
  private final ScheduledFuture<?> ticker;
  private volatile boolean closed;

  private MvStoreRegionStorage(
      Path file,
      MVStore mvStore,
      ScheduledExecutorService executor,
      Duration interval,
      CommitHook hook) {
    this.file = file;
    this.mvStore = mvStore;
    this.regions =
        mvStore.openMap(
            MAP_NAME,
            new MVMap.Builder<byte[], byte[]>()
                .keyType(ByteArrayDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    this.executor = executor;
    this.hook = hook;
    long nanos = interval.toNanos();
    this.ticker =
        executor.scheduleWithFixedDelay(
            this::flushInBackground, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** Opens {@code dir/region-meta.mv.db}, flushing every {@link #DEFAULT_FLUSH_INTERVAL}. */
  public static MvStoreRegionStorage open(Path dir, ScheduledExecutorService executor) {
    return open(dir, executor, DEFAULT_FLUSH_INTERVAL);
  }

  /**
   * Opens (creating if needed) {@code dir/region-meta.mv.db}; the flusher runs on {@code executor}
   * every {@code flushInterval}. The executor stays the caller's: {@link #close} does not shut it
   * down.
   */
  public static MvStoreRegionStorage open(
      Path dir, ScheduledExecutorService executor, Duration flushInterval) {
    return open(dir, executor, flushInterval, CommitHook.NONE);
  }

  static MvStoreRegionStorage open(
      Path dir, ScheduledExecutorService executor, Duration flushInterval, CommitHook hook) {
    Objects.requireNonNull(executor, "executor");
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flush interval must be positive, got " + flushInterval);
    }
    Path file = dir.resolve(FILE_NAME);
    MVStore mvStore = MvStores.open(file, "region storage");
    try {
      return new MvStoreRegionStorage(file, mvStore, executor, flushInterval, hook);
    } catch (RuntimeException e) {
      mvStore.closeImmediately();
      throw new MetaStoreException("cannot open region storage " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(Metapb.Region region) {
    checkOpen();
    queue.put(region.getId(), new Change(region));
    flushSoonIfBacklogged();
  }

  @Override
  public void delete(long regionId) {
    checkOpen();
    queue.put(regionId, new Change(null));
    flushSoonIfBacklogged();
  }

  private void flushSoonIfBacklogged() {
    if (queue.size() >= URGENT_PENDING && urgentFlushQueued.compareAndSet(false, true)) {
      try {
        executor.execute(
            () -> {
              urgentFlushQueued.set(false);
              flushInBackground();
            });
      } catch (RejectedExecutionException e) {
        // The executor is shutting down; close() still flushes what is queued.
        urgentFlushQueued.set(false);
      }
    }
  }

  @Override
  public void flush() {
    checkOpen();
    flushLock.lock();
    try {
      checkOpen();
      writeBatch();
    } finally {
      flushLock.unlock();
    }
  }

  private void flushInBackground() {
    flushLock.lock();
    try {
      if (!closed) {
        writeBatch();
      }
    } catch (RuntimeException e) {
      log.warn(
          "region storage flush failed, will retry: file={} pending={} error={}",
          file,
          queue.size(),
          e.toString());
    } finally {
      flushLock.unlock();
    }
  }

  /** Writes what is queued as one commit; the caller holds {@code flushLock}. */
  private void writeBatch() {
    List<Map.Entry<Long, Change>> batch = new ArrayList<>(queue.size());
    for (Map.Entry<Long, Change> e : queue.entrySet()) {
      batch.add(Map.entry(e.getKey(), e.getValue()));
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      MvStores.commitDurably(
          mvStore,
          () -> {
            for (Map.Entry<Long, Change> e : batch) {
              byte[] key = Bytes8.encode(e.getKey());
              Metapb.Region region = e.getValue().region;
              if (region == null) {
                regions.remove(key);
              } else {
                regions.put(key, region.toByteArray());
              }
            }
            hook.beforeCommit(batch.size());
          });
    } catch (RuntimeException e) {
      throw new MetaStoreException(
          "writing " + batch.size() + " regions to " + file + " failed: " + e.getMessage(), e);
    }
    for (Map.Entry<Long, Change> e : batch) {
      queue.remove(e.getKey(), e.getValue());
    }
  }

  @Override
  public void loadAll(Consumer<Metapb.Region> sink) {
    checkOpen();
    try {
      Cursor<byte[], byte[]> cursor = regions.cursor(null);
      while (cursor.hasNext()) {
        byte[] key = cursor.next();
        sink.accept(parse(key, cursor.getValue()));
      }
    } catch (MVStoreException e) {
      throw new MetaStoreException(
          "reading regions from " + file + " failed: " + e.getMessage(), e);
    }
  }

  private Metapb.Region parse(byte[] key, byte[] value) {
    try {
      return Metapb.Region.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      long id = Bytes8.decode("region key in " + file, key);
      throw new MetaStoreException(
          "corrupt region " + Long.toUnsignedString(id) + " in " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int pending() {
    return queue.size();
  }

  /** Stops the flusher, writes what is queued and closes the file. */
  @Override
  public void close() {
    flushLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      ticker.cancel(false);
      try {
        writeBatch();
      } finally {
        mvStore.close();
      }
    } finally {
      flushLock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new MetaStoreException("region storage " + file + " is closed");
    }
  }
}
