package dev.jpd.core.label;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A plain-text codec for tests (the JSON one lives in pd-server): fields URL-encoded, '&'-separated. */
final class TextCodec implements LabelRuleCodec {
  @Override
  public byte[] encode(LabelRule r) {
    List<String> f = new ArrayList<>(List.of(r.id(), Integer.toString(r.index()), r.ruleType(),
        Integer.toString(r.labels().size())));
    for (RegionLabel l : r.labels()) {
      f.addAll(List.of(l.key(), l.value(), l.ttl(), l.startAt()));
    }
    for (HexRange h : r.data()) {
      f.addAll(List.of(h.startKey(), h.endKey()));
    }
    List<String> enc = new ArrayList<>();
    f.forEach(s -> enc.add(URLEncoder.encode(s, StandardCharsets.UTF_8)));
    return String.join("&", enc).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public LabelRule decode(byte[] value) {
    String[] parts = new String(value, StandardCharsets.UTF_8).split("&", -1);
    List<String> f = new ArrayList<>();
    for (String p : parts) {
      f.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
    }
    if (f.size() < 4) {
      throw new LabelRuleException("not a rule: " + f);
    }
    int n = Integer.parseInt(f.get(3));
    List<RegionLabel> labels = new ArrayList<>();
    int i = 4;
    for (int k = 0; k < n; k++, i += 4) {
      labels.add(RegionLabel.of(f.get(i), f.get(i + 1), f.get(i + 2), f.get(i + 3)));
    }
    List<HexRange> data = new ArrayList<>();
    for (; i + 1 < f.size(); i += 2) {
      data.add(new HexRange(f.get(i), f.get(i + 1)));
    }
    return LabelRule.create(f.get(0), Integer.parseInt(f.get(1)), labels, f.get(2), data);
  }
}
