package dev.jpd.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.KeyValue;
import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;

/**
 * The embedded {@link MetaStore}: one H2 MVStore file, {@code meta.mv.db}, in the data dir, for a
 * single-node PD with no etcd.
 *
 * <p>Design note. Keys are stored as their UTF-8 bytes, compared unsigned (H2's byte-array type),
 * which is etcd's order, so a prefix is one contiguous range. Auto-commit is off: every put,
 * delete and successful txn ends with {@code commit()} and {@code sync()} before it returns, so
 * an acknowledged write survives kill -9 and power loss. A txn applies its operations to the map
 * and commits them as one MVStore version; should the commit fail, {@code rollback()} drops the
 * uncommitted changes, so a txn is all or nothing on disk and in memory. One monitor guards every
 * call: it makes the txn atomic with respect to readers and writers, and the metadata traffic is
 * small (ID and TSO windows, stores, config). MVStore locks the file: a second process (or a
 * second open in this one) fails with the path named.
 */
public final class MvStoreMetaStore implements MetaStore {
  /** The file inside the data dir. */
  public static final String FILE_NAME = "meta.mv.db";

  private static final String MAP_NAME = "meta";

  private final Path file;
  private final MVStore mvStore;
  private final MVMap<byte[], byte[]> data;
  private boolean closed; // guarded by this

  private MvStoreMetaStore(Path file, MVStore mvStore) {
    this.file = file;
    this.mvStore = mvStore;
    this.data =
        mvStore.openMap(
            MAP_NAME,
            new MVMap.Builder<byte[], byte[]>()
                .keyType(ByteArrayDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
  }

  /** Opens (creating if needed) {@code dir/meta.mv.db}; creates {@code dir} too. */
  public static MvStoreMetaStore open(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    MVStore mvStore = MvStores.open(file, "meta store");
    try {
      return new MvStoreMetaStore(file, mvStore);
    } catch (RuntimeException e) {
      mvStore.closeImmediately();
      throw new MetaStoreException("cannot open meta store " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file this store lives in. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized Optional<byte[]> get(String key) {
    checkOpen();
    try {
      byte[] v = data.get(key.getBytes(UTF_8));
      return v == null ? Optional.empty() : Optional.of(v.clone());
    } catch (RuntimeException e) {
      throw failure("get " + key, e);
    }
  }

  @Override
  public synchronized List<KeyValue> scanPrefix(String prefix, int limit) {
    checkOpen();
    byte[] from = prefix.getBytes(UTF_8);
    List<KeyValue> out = new ArrayList<>();
    try {
      Cursor<byte[], byte[]> cursor = data.cursor(from);
      while (cursor.hasNext() && (limit <= 0 || out.size() < limit)) {
        byte[] k = cursor.next();
        if (!startsWith(k, from)) {
          break;
        }
        out.add(new KeyValue(new String(k, UTF_8), cursor.getValue().clone()));
      }
      return out;
    } catch (RuntimeException e) {
      throw failure("scan " + prefix, e);
    }
  }

  @Override
  public synchronized void put(String key, byte[] value) {
    checkOpen();
    byte[] copy = value.clone();
    write("put " + key, () -> data.put(key.getBytes(UTF_8), copy));
  }

  @Override
  public synchronized void delete(String key) {
    checkOpen();
    write("delete " + key, () -> data.remove(key.getBytes(UTF_8)));
  }

  @Override
  public synchronized boolean txn(List<Condition> conditions, List<Operation> operations) {
    checkOpen();
    Operation.requireDistinctKeys(operations);
    String what = "txn on " + Txns.keysOf(conditions, operations);
    try {
      for (Condition c : conditions) {
        if (!MemoryMetaStore.holds(c, data.get(c.key().getBytes(UTF_8)))) {
          return false;
        }
      }
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
    write(
        what,
        () -> {
          for (Operation op : operations) {
            if (op instanceof Operation.Put p) {
              data.put(p.key().getBytes(UTF_8), p.value().clone());
            } else {
              data.remove(op.key().getBytes(UTF_8));
            }
          }
        });
    return true;
  }

  /** Applies {@code change} and makes it durable, or leaves the store as it was and throws. */
  private void write(String what, Runnable change) {
    try {
      MvStores.commitDurably(mvStore, change);
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      mvStore.close();
    } catch (RuntimeException e) {
      throw failure("close", e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new MetaStoreException("meta store " + file + " is closed");
    }
  }

  private MetaStoreException failure(String what, RuntimeException cause) {
    return new MetaStoreException(what + " failed in " + file + ": " + cause.getMessage(), cause);
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
