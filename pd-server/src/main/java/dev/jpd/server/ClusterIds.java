package dev.jpd.server;

import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.Operation;
import dev.jpd.core.storage.PdKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The cluster id (generated once, persisted) and this member's id. */
final class ClusterIds {
  private ClusterIds() {}

  /**
   * Reads {@code /pd/cluster_id}, or creates it as PD does — unix seconds in the high 32 bits,
   * random low bits — guarded by the key's absence so racing members agree on one id.
   */
  static long loadOrCreate(MetaStore meta, Clock clock) {
    var existing = meta.get(PdKeys.CLUSTER_ID);
    if (existing.isPresent()) {
      return Bytes8.decode(PdKeys.CLUSTER_ID, existing.get());
    }
    long id = ((clock.millis() / 1000) << 32) | (ThreadLocalRandom.current().nextInt() & 0xffffffffL);
    if (id == 0) {
      id = 1;
    }
    boolean created =
        meta.txn(
            List.of(Condition.absent(PdKeys.CLUSTER_ID)),
            List.of(Operation.put(PdKeys.CLUSTER_ID, Bytes8.encode(id))));
    if (created) {
      return id;
    }
    return Bytes8.decode(
        PdKeys.CLUSTER_ID,
        meta.get(PdKeys.CLUSTER_ID)
            .orElseThrow(() -> new MetaStoreException("cluster id vanished while creating it")));
  }

  /** A stable, non-zero member id from the member's name and peer URLs (as etcd derives one). */
  static long memberId(String name, List<String> peerUrls) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-1");
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      for (String u : peerUrls) {
        sha.update((byte) 0);
        sha.update(u.getBytes(StandardCharsets.UTF_8));
      }
      long id = java.nio.ByteBuffer.wrap(sha.digest()).getLong();
      return id == 0 ? 1 : id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
