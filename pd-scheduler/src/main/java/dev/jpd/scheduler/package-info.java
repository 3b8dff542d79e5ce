/**
 * The operator controller and the schedulers. {@link dev.jpd.scheduler.operator} holds the
 * controller (waiting queue, schedule and store limits, dispatch of operator steps through the
 * stores' region heartbeat streams, the push tick, records); the schedulers (balance-leader,
 * balance-region, hot-region, evict-leader...) come later.
 */
package dev.jpd.scheduler;
