package dev.jpd.core.label;

/**
 * How a rule is stored: PD's JSON under {@code /pd/{cluster_id}/region_label/{rule_id}}. pd-core
 * has no JSON library, so the server supplies the codec.
 */
public interface LabelRuleCodec {
  byte[] encode(LabelRule rule);

  /** A checked rule ({@link LabelRule#create}); {@link LabelRuleException} when it is not one. */
  LabelRule decode(byte[] value);
}
