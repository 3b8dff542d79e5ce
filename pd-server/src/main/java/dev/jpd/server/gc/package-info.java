/** GC safe points: the cluster's and the per-service ones, with PD's update rules. */
package dev.jpd.server.gc;
