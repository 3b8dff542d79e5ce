package dev.jpd.core.placement;

import dev.jpd.core.storage.KeyValue;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Holds the placement rules and rule groups (PD {@code pkg/schedule/placement/rule_manager.go}).
 *
 * <p>Design: the whole state — rules by (group, id), groups by id and the {@link RuleList} cut
 * from them — is one immutable {@link State} in a volatile field. Readers take the field and
 * never lock. Writers serialize on {@code this}: they build a candidate state, validate every
 * changed rule and the applied rule list (PD's {@code checkApplyRules}), persist the change in
 * one {@link MetaStore#txn} and only then swap the field. An invalid change throws
 * {@link IllegalArgumentException}; a failed write throws the store's exception; in both cases
 * memory and storage are unchanged.
 *
 * <p>Storage keys follow PD: {@code /pd/{cid}/rules/{hex(group)}-{hex(id)}} and
 * {@code /pd/{cid}/rule_group/{id}}, values in PD's JSON.
 */
public final class RuleManager {
  /** PD's default rule group and id. */
  public static final String DEFAULT_GROUP = "pd";

  public static final String DEFAULT_ID = "default";

  /** The replication settings the default rule mirrors. */
  public record Replication(int maxReplicas, List<String> locationLabels, String isolationLevel) {
    public Replication {
      locationLabels = List.copyOf(locationLabels);
      isolationLevel = isolationLevel == null ? "" : isolationLevel;
    }
  }

  private record State(
      Map<String, Rule> rules, Map<String, RuleGroup> groups, RuleList list) {}

  private final MetaStore store;
  private final String rulesPrefix;
  private final String groupsPrefix;
  private final LongSupplier nowSeconds;
  private final List<BiConsumer<byte[], byte[]>> rangeListeners = new CopyOnWriteArrayList<>();
  private volatile State state;

  /**
   * Loads the stored rules and groups; when no rule is stored, creates and persists the default
   * rule {@code pd/default} (voter × max-replicas) from {@code replication}.
   */
  public RuleManager(
      MetaStore store, long clusterId, Replication replication, LongSupplier nowSeconds) {
    this.store = Objects.requireNonNull(store, "store");
    this.rulesPrefix = "/pd/" + clusterId + "/rules/";
    this.groupsPrefix = "/pd/" + clusterId + "/rule_group/";
    this.nowSeconds = nowSeconds;
    Map<String, Rule> rules = new TreeMap<>();
    for (KeyValue kv : store.scanPrefix(rulesPrefix, 0)) {
      Rule r = RuleJson.ruleFromJson(RuleJson.parse(kv.value()));
      rules.put(r.key(), r);
    }
    Map<String, RuleGroup> groups = new TreeMap<>();
    for (KeyValue kv : store.scanPrefix(groupsPrefix, 0)) {
      RuleGroup g = RuleJson.groupFromJson(RuleJson.parse(kv.value()));
      groups.put(g.id(), g);
    }
    state = new State(Map.copyOf(rules), Map.copyOf(groups), RuleList.build(rules.values(), groups));
    if (rules.isEmpty()) {
      setRule(defaultRule(replication));
    }
  }

  static Rule defaultRule(Replication rep) {
    return new Rule(DEFAULT_GROUP, DEFAULT_ID, 0, false, "", "", "voter", false,
        rep.maxReplicas(), null, rep.locationLabels(), rep.isolationLevel(), 0, 0);
  }

  /** PD's storage key of a rule: hex(group) + "-" + hex(id). */
  public static String storeKey(String group, String id) {
    HexFormat hex = HexFormat.of();
    return hex.formatHex(group.getBytes(StandardCharsets.UTF_8))
        + "-" + hex.formatHex(id.getBytes(StandardCharsets.UTF_8));
  }

  /** Registers a listener told the key range [start, end) of every rule a write changed. */
  public void onRangesChanged(BiConsumer<byte[], byte[]> listener) {
    rangeListeners.add(listener);
  }

  // ---- reads (lock-free) ----

  /** The rule, or null. */
  public Rule rule(String group, String id) {
    return state.rules.get(group + "/" + id);
  }

  /** Every rule, sorted by (group, id). */
  public List<Rule> rules() {
    return List.copyOf(new TreeMap<>(state.rules).values());
  }

  /** The rules of one group, sorted by id. */
  public List<Rule> rulesOfGroup(String group) {
    return rules().stream().filter(r -> r.groupId().equals(group)).toList();
  }

  /** The group, or null (a group may exist implicitly through its rules, with index 0). */
  public RuleGroup group(String id) {
    return state.groups.get(id);
  }

  /** Every stored group, sorted by id. */
  public List<RuleGroup> groups() {
    return List.copyOf(new TreeMap<>(state.groups).values());
  }

  /** The rules that apply to {@code key}, in application order. */
  public List<Rule> rulesForKey(byte[] key) {
    return state.list.rulesForKey(key);
  }

  /**
   * The rules that apply to a region spanning [start, end); empty when the range crosses a rule
   * boundary (the region must be split at {@link #splitKeys} first, as in PD).
   */
  public List<Rule> rulesForRange(byte[] start, byte[] end) {
    return state.list.rulesForRange(start, end);
  }

  /**
   * The rule boundaries strictly inside [start, end) ({@code end} empty = the end of the key
   * space), sorted: where the split checker cuts a region that spans them (PD's {@code
   * GetSplitKeys}).
   */
  public List<byte[]> splitKeys(byte[] start, byte[] end) {
    return state.list.splitKeys(start, end);
  }

  /** Every group that has rules or a stored config, with its rules (PD's bundles). */
  public List<RuleBundle> bundles() {
    State s = state;
    TreeMap<String, List<Rule>> byGroup = new TreeMap<>();
    s.groups.keySet().forEach(g -> byGroup.put(g, new ArrayList<>()));
    new TreeMap<>(s.rules).values()
        .forEach(r -> byGroup.computeIfAbsent(r.groupId(), g -> new ArrayList<>()).add(r));
    List<RuleBundle> out = new ArrayList<>();
    byGroup.forEach((g, rs) -> out.add(new RuleBundle(groupOrDefault(s, g), rs)));
    return out;
  }

  /** The bundle of one group (possibly empty, never null). */
  public RuleBundle bundle(String group) {
    State s = state;
    List<Rule> rs = new TreeMap<>(s.rules).values().stream()
        .filter(r -> r.groupId().equals(group)).toList();
    return new RuleBundle(groupOrDefault(s, group), rs);
  }

  private static RuleGroup groupOrDefault(State s, String id) {
    RuleGroup g = s.groups.get(id);
    return g != null ? g : new RuleGroup(id, 0, false);
  }

  // ---- writes (serialized) ----

  /** Adds or replaces one rule. */
  public void setRule(Rule rule) {
    batch(List.of(RuleOp.add(rule)));
  }

  /** Deletes one rule; deleting an absent rule changes nothing. */
  public void deleteRule(String group, String id) {
    batch(List.of(RuleOp.delete(group, id)));
  }

  /** Applies every op, in order, atomically: all or nothing. */
  public synchronized void batch(List<RuleOp> ops) {
    State s = state;
    TreeMap<String, Rule> rules = new TreeMap<>(s.rules);
    java.util.Set<String> added = new java.util.HashSet<>();
    for (RuleOp op : ops) {
      Rule r = op.rule();
      if (op.action() == RuleOp.Action.ADD) {
        RuleValidation.check(r);
        if (!added.add(r.key())) {
          throw new IllegalArgumentException("rule " + r.key() + " appears twice in one batch");
        }
        rules.put(r.key(), r);
      } else if (op.deleteByIdPrefix()) {
        rules.values().removeIf(
            x -> x.groupId().equals(r.groupId()) && x.id().startsWith(r.id()));
      } else {
        rules.remove(r.key());
      }
    }
    commit(s, rules, new TreeMap<>(s.groups));
  }

  /** Adds or replaces a group's config. */
  public synchronized void setGroup(RuleGroup group) {
    checkGroupId(group.id());
    State s = state;
    TreeMap<String, RuleGroup> groups = new TreeMap<>(s.groups);
    groups.put(group.id(), group);
    commit(s, new TreeMap<>(s.rules), groups);
  }

  /** Deletes a group's config (its rules stay, under a default group config). */
  public synchronized void deleteGroup(String id) {
    State s = state;
    TreeMap<String, RuleGroup> groups = new TreeMap<>(s.groups);
    groups.remove(id);
    commit(s, new TreeMap<>(s.rules), groups);
  }

  /**
   * Replaces bundles: with {@code partial} only the named groups are replaced (their old rules
   * dropped); otherwise every group and rule is replaced by {@code bundles}.
   */
  public synchronized void setBundles(Collection<RuleBundle> bundles, boolean partial) {
    State s = state;
    TreeMap<String, Rule> rules = partial ? new TreeMap<>(s.rules) : new TreeMap<>();
    TreeMap<String, RuleGroup> groups = partial ? new TreeMap<>(s.groups) : new TreeMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (RuleBundle b : bundles) {
      String g = b.group().id();
      checkGroupId(g);
      if (!seen.add(g)) {
        throw new IllegalArgumentException("group " + g + " appears twice in the bundles");
      }
      rules.values().removeIf(r -> r.groupId().equals(g));
      groups.put(g, b.group());
      for (Rule r : b.rules()) {
        Rule inGroup = r.groupId().isEmpty() || r.groupId().equals(g) ? r : null;
        if (inGroup == null) {
          throw new IllegalArgumentException("rule " + r.key() + " is in bundle of group " + g
              + "; a bundle's rules must belong to its group");
        }
        Rule fixed = r.groupId().isEmpty() ? copyToGroup(r, g) : r;
        RuleValidation.check(fixed);
        if (rules.put(fixed.key(), fixed) != null) {
          throw new IllegalArgumentException("rule " + fixed.key() + " appears twice in group " + g);
        }
      }
    }
    commit(s, rules, groups);
  }

  /** Deletes a group's config and all its rules. */
  public synchronized void deleteBundle(String group) {
    State s = state;
    TreeMap<String, Rule> rules = new TreeMap<>(s.rules);
    rules.values().removeIf(r -> r.groupId().equals(group));
    TreeMap<String, RuleGroup> groups = new TreeMap<>(s.groups);
    groups.remove(group);
    commit(s, rules, groups);
  }

  /**
   * Follows a replication config change: the default rule takes the new count, location labels
   * and isolation level, but only while it still is the unmodified default of {@code old} (PD's
   * {@code SetReplicationConfig} refuses the change otherwise; here the config is already set,
   * so the rule is left alone). Returns whether the rule changed.
   */
  public synchronized boolean updateReplication(Replication old, Replication now) {
    Rule d = rule(DEFAULT_GROUP, DEFAULT_ID);
    if (d == null || !d.sameExceptVersion(defaultRule(old).withVersion(d.version(), d.createTimestamp()))
        || old.equals(now)) {
      return false;
    }
    setRule(d.withReplication(now.maxReplicas(), now.locationLabels(), now.isolationLevel()));
    return true;
  }

  private static Rule copyToGroup(Rule r, String g) {
    return new Rule(g, r.id(), r.index(), r.override(), r.startKeyHex(), r.endKeyHex(), r.role(),
        r.isWitness(), r.count(), r.labelConstraints(), r.locationLabels(), r.isolationLevel(),
        r.version(), r.createTimestamp());
  }

  private static void checkGroupId(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("rule group id must not be empty");
    }
  }

  /** Validates, persists in one txn, swaps; on any failure nothing changes. */
  private void commit(State old, TreeMap<String, Rule> rules, TreeMap<String, RuleGroup> groups) {
    List<Operation> ops = new ArrayList<>();
    List<Rule> touched = new ArrayList<>();
    for (Map.Entry<String, Rule> e : rules.entrySet()) {
      Rule prev = old.rules.get(e.getKey());
      Rule r = e.getValue();
      if (prev != null && prev.sameExceptVersion(r)) {
        e.setValue(prev);
        continue;
      }
      r = prev == null
          ? r.withVersion(0, nowSeconds.getAsLong())
          : r.withVersion(prev.version() + 1, prev.createTimestamp());
      e.setValue(r);
      ops.add(Operation.put(rulesPrefix + storeKey(r.groupId(), r.id()),
          RuleJson.bytes(RuleJson.toJson(r))));
      touched.add(r);
      if (prev != null) {
        touched.add(prev);
      }
    }
    for (Rule prev : old.rules.values()) {
      if (!rules.containsKey(prev.key())) {
        ops.add(Operation.delete(rulesPrefix + storeKey(prev.groupId(), prev.id())));
        touched.add(prev);
      }
    }
    boolean groupsChanged = false;
    for (RuleGroup g : groups.values()) {
      if (!g.equals(old.groups.get(g.id()))) {
        ops.add(Operation.put(groupsPrefix + g.id(), RuleJson.bytes(RuleJson.toJson(g))));
        groupsChanged = true;
      }
    }
    for (String id : old.groups.keySet()) {
      if (!groups.containsKey(id)) {
        ops.add(Operation.delete(groupsPrefix + id));
        groupsChanged = true;
      }
    }
    if (ops.isEmpty()) {
      return;
    }
    RuleList list = RuleList.build(rules.values(), groups);
    list.checkApply();
    store.txn(List.of(), ops);
    state = new State(Map.copyOf(rules), Map.copyOf(groups), list);
    if (groupsChanged) {
      touched.add(Rule.of("", "", "voter", 1, "", ""));
    }
    // each distinct range once: an updated rule's old and new ranges are often the same, and a
    // listener may re-classify every region in it
    Set<String> told = new HashSet<>();
    for (Rule r : touched) {
      String range = r.startKeyHex() + "-" + r.endKeyHex();
      if (!told.add(range.toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (BiConsumer<byte[], byte[]> l : rangeListeners) {
        l.accept(r.startKey(), r.endKey());
      }
    }
  }
}
