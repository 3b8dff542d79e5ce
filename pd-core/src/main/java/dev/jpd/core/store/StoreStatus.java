package dev.jpd.core.store;

import dev.jpd.proto.Metapb;

/**
 * A store's state at one instant, as {@link StoreStates#classify} derives it.
 *
 * @param state the stored state (Up, Offline, Tombstone)
 * @param nodeState the stored node state (Preparing, Serving, Removing, Removed)
 * @param stateName what PD's store JSON shows as {@code state_name}: {@code Up}, {@code
 *     Disconnected}, {@code Down}, {@code Offline} or {@code Tombstone}
 * @param disconnected silent for more than 20 s (not for Tombstone stores)
 * @param down silent for more than {@code max-store-down-time} (not for Tombstone stores)
 * @param downMillis how long the store has been silent
 */
public record StoreStatus(
    Metapb.StoreState state,
    Metapb.NodeState nodeState,
    String stateName,
    boolean disconnected,
    boolean down,
    long downMillis) {}
