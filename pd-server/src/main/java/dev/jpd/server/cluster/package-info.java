/**
 * The cluster as the PD leader sees it: bootstrap, stores, the region cache fed by heartbeats,
 * and the rules for changing them ({@link dev.jpd.server.cluster.RaftCluster}).
 */
package dev.jpd.server.cluster;
