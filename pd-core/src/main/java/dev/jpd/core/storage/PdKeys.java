package dev.jpd.core.storage;

/**
 * PD's etcd key layout, so that the metadata we write reads the same as the Go PD's (and tools
 * such as pd-recover find it). Numbers in keys are zero-padded to 20 digits.
 *
 * <pre>
 * /pd/cluster_id                              8-byte big-endian cluster id
 * /pd/{cid}/raft                              metapb.Cluster; its presence means bootstrapped
 * /pd/{cid}/raft/status/raft_bootstrap_time   8-byte big-endian unix nanos
 * /pd/{cid}/raft/s/{store_id}                 metapb.Store
 * /pd/{cid}/raft/r/{region_id}                metapb.Region (the bootstrap region; others go to the region storage)
 * /pd/{cid}/raft/min_resolved_ts              hex string
 * /pd/{cid}/alloc_id                          8-byte big-endian end of the allocated ID window
 * /pd/{cid}/timestamp                         8-byte big-endian unix nanos: the TSO window's upper bound
 * /pd/{cid}/gc/safe_point                     hex string
 * /pd/{cid}/gc/safe_point/service/{id}        JSON {service_id, expired_at, safe_point}
 * /pd/{cid}/config                            JSON of the persisted options
 * /pd/{cid}/region_label/{rule_id}            JSON of a region-label rule
 * /pd/{cid}/leader                            pdpb.Member of the leader
 * </pre>
 */
public final class PdKeys {
  public static final String CLUSTER_ID = "/pd/cluster_id";

  private final String root;

  public PdKeys(long clusterId) {
    this.root = "/pd/" + Long.toUnsignedString(clusterId);
  }

  public String root() {
    return root;
  }

  public String clusterMeta() {
    return root + "/raft";
  }

  public String bootstrapTime() {
    return root + "/raft/status/raft_bootstrap_time";
  }

  public String storePrefix() {
    return root + "/raft/s/";
  }

  public String store(long storeId) {
    return storePrefix() + pad(storeId);
  }

  public String regionPrefix() {
    return root + "/raft/r/";
  }

  public String region(long regionId) {
    return regionPrefix() + pad(regionId);
  }

  public String minResolvedTs() {
    return root + "/raft/min_resolved_ts";
  }

  public String allocId() {
    return root + "/alloc_id";
  }

  public String timestamp() {
    return root + "/timestamp";
  }

  public String gcSafePoint() {
    return root + "/gc/safe_point";
  }

  public String serviceSafePointPrefix() {
    return root + "/gc/safe_point/service/";
  }

  public String serviceSafePoint(String serviceId) {
    return serviceSafePointPrefix() + serviceId;
  }

  public String config() {
    return root + "/config";
  }

  public String regionLabelPrefix() {
    return root + "/region_label/";
  }

  public String regionLabel(String ruleId) {
    return regionLabelPrefix() + ruleId;
  }

  /** BR's marker: present while a snapshot restore is in progress. */
  public String snapshotRecoveringMarker() {
    return root + "/cluster/markers/snapshot-recovering";
  }

  public String leader() {
    return root + "/leader";
  }

  /** Zero-padded to 20 digits, as PD's {@code fmt.Sprintf("%020d", id)}. */
  public static String pad(long id) {
    String s = Long.toUnsignedString(id);
    return "0".repeat(Math.max(0, 20 - s.length())) + s;
  }
}
