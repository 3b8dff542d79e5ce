/**
 * The operator controller (PD's {@code pkg/schedule/operator/operator_controller.go}): admits
 * operators against schedule and store limits, queues them by priority, sends their steps on the
 * stores' heartbeat streams and judges their progress from the regions the leaders report.
 *
 * <p>The controller sees the rest of the PD only through narrow views defined here: {@link
 * dev.jpd.scheduler.operator.ControllerCluster} (cached regions and stores), {@link
 * dev.jpd.scheduler.operator.ControllerConfig} (limits, read afresh for every decision) and
 * {@link dev.jpd.scheduler.operator.CommandSink} (the heartbeat streams). Time comes from an
 * injected {@link java.time.Clock}; the push tick is driven by the server's scheduled executor.
 */
package dev.jpd.scheduler.operator;
