/**
 * Where the PD keeps what must survive: the {@link dev.jpd.core.storage.MetaStore} contract for
 * cluster metadata (in memory here; embedded and etcd implementations live in pd-server), PD's
 * etcd key layout ({@link dev.jpd.core.storage.PdKeys}) and the write-behind
 * {@link dev.jpd.core.storage.RegionStorage} for region metadata.
 */
package dev.jpd.core.storage;
