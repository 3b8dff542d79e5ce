/**
 * The operator controller (waiting queue, schedule and store limits, dispatch of operator steps
 * through the stores' region heartbeat streams) and the schedulers (balance-leader,
 * balance-region, hot-region, evict-leader...). Comes with the operators issue.
 */
package dev.jpd.scheduler;
