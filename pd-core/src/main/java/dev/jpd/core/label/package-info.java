/**
 * Region labels, PD's {@code pkg/schedule/labeler}: {@link dev.jpd.core.label.LabelRule}s give
 * labels ({@code schedule=deny}, {@code merge_option=deny}, anything else) to the regions inside
 * their key ranges, and the {@link dev.jpd.core.label.RegionLabeler} answers for a region: its
 * labels, whether scheduling or merging is denied, and the rule boundaries it must be split at.
 *
 * <p>Rules are stored as PD stores them, JSON under {@code /pd/{cluster_id}/region_label/{id}},
 * through a {@link dev.jpd.core.label.LabelRuleCodec} the server supplies (pd-core has no JSON
 * library). A label with a {@code ttl} expires {@code ttl} after its {@code start_at} (set when
 * the rule is stored, if missing); expired labels stop applying at once, and a rule left without
 * labels goes away. Choices where PD is loose: on equal rule index the smaller rule id wins a
 * label key; {@code start_at} is written in UTC.
 */
package dev.jpd.core.label;
