/**
 * Stores: the immutable {@link dev.jpd.core.store.StoreInfo} snapshot (metadata, last
 * heartbeat's statistics and time) and the thread-safe {@link dev.jpd.core.store.StoresInfo}
 * cache. Times are epoch millis handed in by the caller, never read from the system clock here.
 */
package dev.jpd.core.store;
