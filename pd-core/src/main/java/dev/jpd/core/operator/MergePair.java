package dev.jpd.core.operator;

/**
 * The two operators of a merge (PD's linked pair): the active one on the source region first
 * matches its peers to the target's and then sends the merge command; the passive one on the
 * target only waits for the target's range to grow. Both are added together or not at all.
 */
public record MergePair(Operator active, Operator passive) {}
