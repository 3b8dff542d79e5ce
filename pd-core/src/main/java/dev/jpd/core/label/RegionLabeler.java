package dev.jpd.core.label;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storage.KeyValue;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.Operation;
import dev.jpd.core.storage.PdKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PD's region labeler ({@code pkg/schedule/labeler}): the label rules, and what they say about a
 * region — its labels, whether scheduling or merging is denied, where it must be split.
 *
 * <p>Design note. Readers take no lock: they read an immutable {@link LabelIndex} from an atomic
 * reference. Writers serialize on {@link #writeLock}, write the meta store first and only then
 * publish a new index, so an acknowledged write is durable and a failed one changes nothing.
 * {@link #stored} mirrors exactly what the meta store holds. Expiry is judged on the injected
 * clock: when a reader finds the index's earliest expiry passed, it builds a pruned index in
 * memory (no storage I/O on the read path); {@link #gcExpired} also removes the expired labels
 * from storage, as PD's periodic GC does, and a start drops them too.
 *
 * <p>Labels of a region, as PD's {@code GetRegionLabels}: the rules one of whose ranges holds the
 * whole region, provided no rule boundary lies strictly inside the region (then it has no labels
 * until split). For one key, the rule with the higher index wins; on equal index, the smaller id.
 */
public final class RegionLabeler {
  private static final Logger LOG = LoggerFactory.getLogger(RegionLabeler.class);
  public static final String SCHEDULE = "schedule";
  public static final String MERGE_OPTION = "merge_option";
  public static final String DENY = "deny";

  private final MetaStore store;
  private final PdKeys keys;
  private final LabelRuleCodec codec;
  private final Clock clock;
  private final Object writeLock = new Object();
  private final Map<String, LabelRule> stored = new HashMap<>();
  private final AtomicReference<LabelIndex> index = new AtomicReference<>(LabelIndex.EMPTY);
  private volatile BiConsumer<byte[], byte[]> rangesChanged = (start, end) -> { };

  public RegionLabeler(MetaStore store, PdKeys keys, LabelRuleCodec codec, Clock clock) {
    this.store = store;
    this.keys = keys;
    this.codec = codec;
    this.clock = clock;
  }

  /**
   * Loads every stored rule. As PD does, a stored rule that no longer parses, or whose labels all
   * expired, is deleted from storage; one with some expired labels is rewritten without them.
   */
  public RegionLabeler load() {
    synchronized (writeLock) {
      Instant now = clock.instant();
      stored.clear();
      for (KeyValue kv : store.scanPrefix(keys.regionLabelPrefix(), 0)) {
        LabelRule rule;
        try {
          rule = codec.decode(kv.value());
        } catch (IllegalArgumentException e) {
          LOG.warn("failed to adjust label rule rule-key={} error=\"{}\"", kv.key(), e.getMessage());
          store.delete(kv.key());
          continue;
        }
        LabelRule live = rule.stamped(now).withoutExpired(now);
        if (live == null) {
          store.delete(kv.key());
        } else {
          if (!live.equals(rule)) {
            store.put(keys.regionLabel(live.id()), codec.encode(live));
          }
          stored.put(live.id(), live);
        }
      }
      publish(now);
      LOG.info("new region labeler created label-rules-count={}", stored.size());
      return this;
    }
  }

  /** Inserts or replaces a rule (PD's SetLabelRule); throws {@link LabelRuleException} if bad. */
  public void setRule(LabelRule rule) {
    patch(List.of(rule), List.of());
  }

  /** Removes a rule; false when there is none with this id. */
  public boolean deleteRule(String id) {
    synchronized (writeLock) {
      if (!stored.containsKey(id)) {
        return false;
      }
      patch(List.of(), List.of(id));
      return true;
    }
  }

  /**
   * PD's Patch: deletes then sets, atomically, in one meta-store transaction. An id both deleted
   * and set is set; among sets with one id, the last wins; deleting an absent id is no error. Any
   * bad rule throws {@link LabelRuleException} and changes nothing.
   */
  public void patch(Collection<LabelRule> sets, Collection<String> deletes) {
    synchronized (writeLock) {
      Instant now = clock.instant();
      Map<String, LabelRule> toSet = new LinkedHashMap<>();
      for (LabelRule r : sets) {
        LabelRule s = r.stamped(now);
        if (s.withoutExpired(now) == null) {
          throw new LabelRuleException("rule \"" + r.id() + "\": region label with expired ttl");
        }
        toSet.remove(s.id());
        toSet.put(s.id(), s);
      }
      LinkedHashSet<String> toDelete = new LinkedHashSet<>(deletes);
      toDelete.removeAll(toSet.keySet());
      List<Operation> ops = new ArrayList<>();
      toDelete.forEach(id -> ops.add(new Operation.Delete(keys.regionLabel(id))));
      toSet.values().forEach(r -> ops.add(new Operation.Put(keys.regionLabel(r.id()), codec.encode(r))));
      if (ops.isEmpty()) {
        return;
      }
      if (!store.txn(List.of(), ops)) {
        throw new IllegalStateException("region label rules not saved: the meta store refused the transaction");
      }
      List<LabelRule> touched = new ArrayList<>(toSet.values());
      for (String id : toDelete) {
        LabelRule gone = stored.remove(id);
        if (gone != null) {
          touched.add(gone);
        }
      }
      for (LabelRule r : toSet.values()) {
        LabelRule before = stored.put(r.id(), r);
        if (before != null) {
          touched.add(before);
        }
      }
      publish(now);
      for (LabelRule r : touched) {
        for (HexRange range : r.data()) {
          rangesChanged.accept(HexFormat.of().parseHex(range.startKey()),
              HexFormat.of().parseHex(range.endKey()));
        }
      }
    }
  }

  /**
   * Who hears of the key ranges a write touched (the rules set, replaced or deleted), after it
   * is visible: the checkers look at those regions soon (splits at new boundaries, deny labels).
   * One listener; it must be quick.
   */
  public void onRangesChanged(BiConsumer<byte[], byte[]> listener) {
    rangesChanged = Objects.requireNonNull(listener);
  }

  /**
   * Removes expired labels from storage too (PD's GC, which runs hourly there): a rule left with
   * no labels is deleted, others are rewritten. Returns how many rules changed.
   */
  public int gcExpired() {
    synchronized (writeLock) {
      Instant now = clock.instant();
      int changed = 0;
      for (LabelRule r : List.copyOf(stored.values())) {
        LabelRule live = r.withoutExpired(now);
        if (live == r) {
          continue;
        }
        if (live == null) {
          store.delete(keys.regionLabel(r.id()));
          stored.remove(r.id());
        } else {
          store.put(keys.regionLabel(r.id()), codec.encode(live));
          stored.put(r.id(), live);
        }
        changed++;
      }
      publish(now);
      return changed;
    }
  }

  /** The rule with this id as it applies now (expired labels left out), if any. */
  public Optional<LabelRule> getRule(String id) {
    return Optional.ofNullable(view().rules.get(id));
  }

  /** Every rule, by id. */
  public List<LabelRule> getRules() {
    return List.copyOf(view().rules.values());
  }

  /** The rules with these ids, in the order asked; unknown ids are skipped, as in PD. */
  public List<LabelRule> getRulesByIds(Collection<String> ids) {
    Map<String, LabelRule> rules = view().rules;
    List<LabelRule> out = new ArrayList<>();
    for (String id : ids) {
      LabelRule r = rules.get(id);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** The region's labels, one per key (see the class note), ordered by key. */
  public List<RegionLabel> labels(RegionInfo region) {
    return labels(region.startKey().toByteArray(), region.endKey().toByteArray());
  }

  /** The labels of the range {@code [start, end)}; empty end = +inf. */
  public List<RegionLabel> labels(byte[] start, byte[] end) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (LabelRule r : view().covering(start, end)) {
      for (RegionLabel l : r.labels()) {
        out.putIfAbsent(l.key(), l.value());
      }
    }
    List<RegionLabel> list = new ArrayList<>(out.size());
    out.forEach((k, v) -> list.add(RegionLabel.of(k, v)));
    return list;
  }

  /** The value of the region's label {@code key}, or "" (PD's GetRegionLabel). */
  public String label(RegionInfo region, String key) {
    if (view().rules.isEmpty()) {
      return ""; // asked for every region by the checkers: no rule, no label, no key copied
    }
    return label(region.startKey().toByteArray(), region.endKey().toByteArray(), key);
  }

  public String label(byte[] start, byte[] end, String key) {
    for (LabelRule r : view().covering(start, end)) {
      for (RegionLabel l : r.labels()) {
        if (l.key().equals(key)) {
          return l.value();
        }
      }
    }
    return "";
  }

  /** Whether the region is labeled {@code schedule=deny} (any case), PD's ScheduleDisabled. */
  public boolean scheduleDenied(RegionInfo region) {
    return DENY.equalsIgnoreCase(label(region, SCHEDULE));
  }

  /**
   * The labeler's half of PD's {@code AllowMerge}, negated: true when the two regions are not
   * adjacent, when a rule boundary lies strictly inside their union, or when either is labeled
   * {@code merge_option=deny}.
   */
  public boolean mergeDenied(RegionInfo region, RegionInfo adjacent) {
    byte[] rs = region.startKey().toByteArray();
    byte[] re = region.endKey().toByteArray();
    byte[] as = adjacent.startKey().toByteArray();
    byte[] ae = adjacent.endKey().toByteArray();
    byte[] start;
    byte[] end;
    if (re.length > 0 && Arrays.equals(re, as)) {
      start = rs;
      end = ae;
    } else if (ae.length > 0 && Arrays.equals(ae, rs)) {
      start = as;
      end = re;
    } else {
      return true;
    }
    LabelIndex idx = view();
    return !idx.splitKeys(start, end).isEmpty()
        || DENY.equals(label(rs, re, MERGE_OPTION))
        || DENY.equals(label(as, ae, MERGE_OPTION));
  }

  /** Where the region must be split: rule boundaries strictly inside it, ascending (PD's GetSplitKeys). */
  public List<byte[]> splitKeys(RegionInfo region) {
    if (view().rules.isEmpty()) {
      return List.of();
    }
    return splitKeys(region.startKey().toByteArray(), region.endKey().toByteArray());
  }

  public List<byte[]> splitKeys(byte[] start, byte[] end) {
    return view().splitKeys(start, end);
  }

  /** The current index, pruned of labels expired by now. */
  private LabelIndex view() {
    LabelIndex idx = index.get();
    if (idx.nextExpiry == null) {
      return idx;
    }
    Instant now = clock.instant();
    if (!idx.nextExpiry.isBefore(now)) {
      return idx;
    }
    LabelIndex fresh = LabelIndex.build(idx.rules.values(), now);
    index.compareAndSet(idx, fresh);
    return fresh;
  }

  private void publish(Instant now) {
    index.set(LabelIndex.build(stored.values(), now));
  }
}
