/**
 * The checkers and the patrol loop: one checker per class (joint-state, split, rule or
 * learner/replica, merge) in one ordered list, the patrol loop that runs them over every region,
 * and its priority, pending and suspect-range lists. Checkers see a narrow cluster view from
 * {@code pd-core} and return operators; they never see the server. Comes with the checkers issue.
 */
package dev.jpd.checker;
