package dev.jpd.core.storage;

import java.util.List;
import java.util.Optional;

/**
 * The small key-value interface that holds the PD's metadata: cluster id, cluster meta, stores,
 * the ID and TSO windows, GC safe points, config. Three implementations share one contract
 * (tested by one suite): in memory, embedded (H2 MVStore in the data dir) and etcd (jetcd).
 *
 * <p>Keys are strings in PD's etcd layout ({@link PdKeys}); values are bytes. Every write is
 * durable when the call returns, so a caller may acknowledge what it wrote: a kill -9 right after
 * the return loses nothing. Calls are thread-safe. Failures of the backing store surface as
 * {@link MetaStoreException}; nothing is retried here, because not every operation is idempotent.
 */
public interface MetaStore extends AutoCloseable {

  /** The value under {@code key}, or empty. */
  Optional<byte[]> get(String key);

  /**
   * The entries whose keys start with {@code prefix}, in ascending key order (byte order of the
   * UTF-8 key), at most {@code limit} of them ({@code limit <= 0}: all).
   */
  List<KeyValue> scanPrefix(String prefix, int limit);

  /** Stores {@code value} under {@code key}, durably. */
  void put(String key, byte[] value);

  /** Removes {@code key}; removing an absent key is not an error. */
  void delete(String key);

  /**
   * Atomically: if every condition holds, applies every operation in order and returns true;
   * otherwise changes nothing and returns false. This is etcd's compare-and-swap transaction,
   * which the ID and TSO windows and bootstrap rely on.
   *
   * <p>Each key may appear at most once among {@code operations} (etcd refuses more); otherwise
   * this throws {@link IllegalArgumentException} and changes nothing. When a backing store fails
   * mid-call ({@link MetaStoreException}), the outcome is unknown: re-read before retrying.
   */
  boolean txn(List<Condition> conditions, List<Operation> operations);

  /** Releases the store; later calls fail. */
  @Override
  void close();
}
