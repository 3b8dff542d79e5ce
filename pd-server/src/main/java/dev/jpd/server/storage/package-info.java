/**
 * Where the daemon keeps what must survive, behind pd-core's interfaces: {@link
 * dev.jpd.server.storage.EtcdMetaStore} (etcd through jetcd, the production choice with a PD
 * cluster), {@link dev.jpd.server.storage.MvStoreMetaStore} (one H2 MVStore file in the data dir,
 * the single-node default when no etcd endpoint is configured) and {@link
 * dev.jpd.server.storage.MvStoreRegionStorage} (region metadata written behind the heartbeats to
 * its own MVStore file). All of them pass pd-core's contract suites.
 */
package dev.jpd.server.storage;
