/**
 * Placement rules (PD {@code pkg/schedule/placement}): the rule model ({@link
 * dev.jpd.core.placement.Rule}, {@link dev.jpd.core.placement.RuleGroup}, {@link
 * dev.jpd.core.placement.LabelConstraint}), the {@link dev.jpd.core.placement.RuleManager} that
 * validates, persists and looks rules up by key, and {@link dev.jpd.core.placement.RegionFit},
 * which assigns a region's peers to its rules.
 *
 * <p>Design note. The manager's state is one immutable snapshot (rules, groups, and the key space
 * cut at every rule boundary with each piece's applied rules), swapped whole after a validated,
 * persisted write; lookups are a lock-free binary search. Applied rules of a piece follow PD's
 * {@code prepareRulesForApply}: order by (group index, group id, rule index, rule id); a rule
 * with override hides earlier rules of its group; a group with override hides earlier groups.
 * A write is rejected (nothing changes) when a rule is invalid or any piece of the key space
 * would be left without a voter/leader rule or with more than one leader (PD's
 * {@code checkApplyRules}).
 *
 * <p>Fit is greedy rather than PD's exhaustive search (exponential in peers, pd#6663): rules in
 * application order, each taking role-matching peers first and then the peer adding most
 * isolation; cost O(R · P³ · L). The result lists, per rule, its peers, the peers with the wrong
 * role, the isolation score and whether the isolation level holds, plus the orphan peers — what
 * a rule checker needs to pick fixes.
 */
package dev.jpd.core.placement;
