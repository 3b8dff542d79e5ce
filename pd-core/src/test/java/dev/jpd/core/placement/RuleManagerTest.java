package dev.jpd.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.MetaStoreException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuleManagerTest {
  private static final RuleManager.Replication THREE =
      new RuleManager.Replication(3, List.of("zone", "host"), "");

  private static RuleManager manager(MemoryMetaStore store) {
    return new RuleManager(store, 7, THREE, () -> 1000);
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void defaultRuleIsCreatedAndPersistedUnderPdKey() {
    MemoryMetaStore store = new MemoryMetaStore();
    RuleManager m = manager(store);
    Rule d = m.rule("pd", "default");
    assertNotNull(d);
    assertEquals(3, d.count());
    assertEquals("voter", d.role());
    assertEquals(List.of("zone", "host"), d.locationLabels());
    assertTrue(store.get("/pd/7/rules/7064-64656661756c74").isPresent());
  }

  static Stream<Arguments> badRules() {
    return Stream.of(
        Arguments.of(Rule.of("g", "a", "voter", 0, "", ""), "count must be positive"),
        Arguments.of(Rule.of("g", "a", "boss", 1, "", ""), "unknown role 'boss'"),
        Arguments.of(Rule.of("g", "a", "leader", 2, "", ""), "leader rule may ask for one"),
        Arguments.of(Rule.of("g", "a", "voter", 1, "zz", ""), "start_key 'zz' is not valid hex"),
        Arguments.of(Rule.of("g", "a", "voter", 1, "20", "10"), "must be before end_key"),
        Arguments.of(Rule.of("", "a", "voter", 1, "", ""), "group_id must not be empty"),
        Arguments.of(new Rule("g", "a", 0, false, "", "", "voter", false, 1,
            List.of(new LabelConstraint("zone", "like", List.of())), null, "", 0, 0),
            "unknown label constraint op 'like'"),
        Arguments.of(new Rule("g", "a", 0, false, "", "", "voter", false, 1, null,
            List.of("zone"), "rack", 0, 0), "isolation_level 'rack' is not one of"),
        Arguments.of(new Rule("pd", "default", 0, false, "", "", "learner", false, 1, null,
            null, "", 0, 0), "no voter or leader rule"));
  }

  @ParameterizedTest
  @MethodSource("badRules")
  void invalidRuleIsRejectedAndNothingChanges(Rule bad, String message) {
    MemoryMetaStore store = new MemoryMetaStore();
    RuleManager m = manager(store);
    List<Rule> before = m.rules();
    int keysBefore = store.scanPrefix("/pd/7/", 0).size();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.setRule(bad));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(before, m.rules());
    assertEquals(keysBefore, store.scanPrefix("/pd/7/", 0).size());
  }

  @Test
  void duplicateIdInBatchIsRejected() {
    RuleManager m = manager(new MemoryMetaStore());
    Rule r = Rule.of("g", "a", "voter", 1, "", "");
    var e = assertThrows(IllegalArgumentException.class,
        () -> m.batch(List.of(RuleOp.add(r), RuleOp.add(r))));
    assertTrue(e.getMessage().contains("appears twice"));
    assertNull(m.rule("g", "a"));
  }

  @Test
  void batchIsAtomicAndDeleteByPrefixWorks() {
    RuleManager m = manager(new MemoryMetaStore());
    m.batch(List.of(RuleOp.add(Rule.of("g", "t1", "learner", 1, "", "")),
        RuleOp.add(Rule.of("g", "t2", "learner", 1, "", "")),
        RuleOp.add(Rule.of("g", "x", "learner", 1, "", ""))));
    assertEquals(4, m.rules().size());
    m.batch(List.of(RuleOp.deleteByPrefix("g", "t")));
    assertEquals(List.of("x", "default"), m.rules().stream().map(Rule::id).toList());
    // deleting the only voter rule in the same batch as adding a rule fails as a whole
    assertThrows(IllegalArgumentException.class, () -> m.batch(List.of(
        RuleOp.add(Rule.of("g", "y", "learner", 1, "", "")), RuleOp.delete("pd", "default"))));
    assertNull(m.rule("g", "y"));
    assertNotNull(m.rule("pd", "default"));
  }

  @Test
  void rulesSurviveReloadAndGroupsToo() {
    MemoryMetaStore store = new MemoryMetaStore();
    RuleManager m = manager(store);
    Rule r = new Rule("tiflash", "t", 3, true, "10", "20", "learner", false, 1,
        List.of(new LabelConstraint("engine", "in", List.of("tiflash"))), List.of("host"), "",
        0, 0);
    m.setRule(r);
    m.setGroup(new RuleGroup("tiflash", 5, false));
    RuleManager again = manager(store);
    assertEquals(m.rules(), again.rules());
    assertEquals(new RuleGroup("tiflash", 5, false), again.group("tiflash"));
    assertEquals(1000, again.rule("tiflash", "t").createTimestamp());
  }

  @Test
  void versionGrowsOnUpdate() {
    RuleManager m = manager(new MemoryMetaStore());
    m.setRule(Rule.of("g", "a", "learner", 1, "", ""));
    m.setRule(Rule.of("g", "a", "learner", 2, "", ""));
    assertEquals(1, m.rule("g", "a").version());
  }

  @Test
  void failedWriteLeavesStateUnchanged() {
    MemoryMetaStore mem = new MemoryMetaStore();
    dev.jpd.core.storage.MetaStore store = new dev.jpd.core.storage.MetaStore() {
      @Override
      public java.util.Optional<byte[]> get(String key) {
        return mem.get(key);
      }

      @Override
      public List<dev.jpd.core.storage.KeyValue> scanPrefix(String prefix, int limit) {
        return mem.scanPrefix(prefix, limit);
      }

      @Override
      public void put(String key, byte[] value) {
        mem.put(key, value);
      }

      @Override
      public void delete(String key) {
        mem.delete(key);
      }

      @Override
      public boolean txn(List<dev.jpd.core.storage.Condition> c,
          List<dev.jpd.core.storage.Operation> ops) {
        throw new MetaStoreException("disk gone");
      }

      @Override
      public void close() {}
    };
    store.put("/pd/7/rules/" + RuleManager.storeKey("pd", "default"),
        RuleJson.bytes(RuleJson.toJson(RuleManager.defaultRule(THREE))));
    RuleManager m = new RuleManager(store, 7, THREE, () -> 1000);
    assertThrows(MetaStoreException.class,
        () -> m.setRule(Rule.of("g", "a", "learner", 1, "", "")));
    assertNull(m.rule("g", "a"));
    assertEquals(1, m.rulesForKey(new byte[0]).size());
  }

  @Test
  void defaultRuleFollowsReplicationOnlyWhileUnmodified() {
    RuleManager m = manager(new MemoryMetaStore());
    var five = new RuleManager.Replication(5, List.of("zone", "host"), "zone");
    assertTrue(m.updateReplication(THREE, five));
    assertEquals(5, m.rule("pd", "default").count());
    assertEquals("zone", m.rule("pd", "default").isolationLevel());
    Rule custom = m.rule("pd", "default").withReplication(4, List.of("zone", "host"), "zone");
    m.setRule(custom);
    assertFalse(m.updateReplication(five, THREE));
    assertEquals(4, m.rule("pd", "default").count());
  }

  @Test
  void rangeListenerHearsChangedRanges() {
    RuleManager m = manager(new MemoryMetaStore());
    List<String> heard = new ArrayList<>();
    m.onRangesChanged((s, e) -> heard.add(HexFormat.of().formatHex(s) + "-"
        + HexFormat.of().formatHex(e)));
    m.setRule(Rule.of("g", "a", "learner", 1, "10", "20"));
    assertEquals(List.of("10-20"), heard);
    heard.clear();
    m.setRule(Rule.of("g", "a", "learner", 2, "10", "20")); // same range: told once
    assertEquals(List.of("10-20"), heard);
    heard.clear();
    m.setRule(Rule.of("g", "a", "learner", 2, "30", "")); // moved: old and new ranges
    assertEquals(List.of("30-", "10-20"), heard);
  }

  static Stream<Arguments> lookups() {
    return Stream.of(
        // key, expected rule ids in order: by (group index, group id, rule index, rule id)
        Arguments.of("", List.of("default")),
        Arguments.of("10", List.of("a-learner", "default")),
        Arguments.of("15", List.of("a-learner", "b-over", "default")),
        Arguments.of("18", List.of("over-group")),
        Arguments.of("20", List.of("default")));
  }

  @ParameterizedTest
  @MethodSource("lookups")
  void rangeLookupHonoursIndexAndOverride(String key, List<String> ids) {
    RuleManager m = manager(new MemoryMetaStore());
    m.setRule(new Rule("a", "a-learner", 1, false, "10", "20", "learner", false, 1, null, null,
        "", 0, 0));
    m.setRule(new Rule("b", "b-before", 0, false, "15", "18", "learner", false, 1, null, null,
        "", 0, 0));
    // same group, higher index and override: hides b-before
    m.setRule(new Rule("b", "b-over", 1, true, "15", "18", "learner", false, 1, null, null,
        "", 0, 0));
    // group with higher index and override hides every earlier group on [18, 19)
    m.setGroup(new RuleGroup("z", 9, true));
    m.setRule(new Rule("z", "over-group", 0, false, "18", "19", "voter", false, 3, null, null,
        "", 0, 0));
    assertEquals(ids, m.rulesForKey(hex(key)).stream().map(Rule::id).toList());
  }

  @Test
  void bundlesReplaceGroups() {
    RuleManager m = manager(new MemoryMetaStore());
    m.setRule(Rule.of("g", "old", "learner", 1, "", ""));
    m.setBundles(List.of(new RuleBundle(new RuleGroup("g", 2, false),
        List.of(Rule.of("", "new", "learner", 1, "", "")))), true);
    assertNull(m.rule("g", "old"));
    assertNotNull(m.rule("g", "new"));
    assertNotNull(m.rule("pd", "default"));
    m.deleteBundle("g");
    assertEquals(List.of("default"), m.rules().stream().map(Rule::id).toList());
  }

  /** Rules on [10, 20) and [15, 30) besides pd/default: boundaries at 10, 15, 20 and 30. */
  static Stream<Arguments> splits() {
    return Stream.of(
        // start | end ("" = end of key space) | split keys | rules for the whole range
        Arguments.of("", "", List.of("10", "15", "20", "30"), List.of()),
        Arguments.of("", "10", List.of(), List.of("default")),
        Arguments.of("05", "12", List.of("10"), List.of()),
        Arguments.of("10", "15", List.of(), List.of("a", "default")),
        Arguments.of("10", "1501", List.of("15"), List.of()),
        Arguments.of("1001", "14", List.of(), List.of("a", "default")),
        Arguments.of("12", "40", List.of("15", "20", "30"), List.of()),
        Arguments.of("30", "", List.of(), List.of("default")),
        Arguments.of("25", "", List.of("30"), List.of()),
        Arguments.of("20", "30", List.of(), List.of("b", "default")));
  }

  @ParameterizedTest(name = "[{0}, {1})")
  @MethodSource("splits")
  void splitKeysAreTheBoundariesStrictlyInside(String start, String end, List<String> keys,
      List<String> rules) {
    RuleManager m = manager(new MemoryMetaStore());
    m.setRule(Rule.of("x", "a", "learner", 1, "10", "20"));
    m.setRule(Rule.of("x", "b", "learner", 1, "15", "30"));
    assertEquals(keys, m.splitKeys(hex(start), hex(end)).stream()
        .map(HexFormat.of()::formatHex).toList());
    List<String> applied = m.rulesForRange(hex(start), hex(end)).stream().map(Rule::id).toList();
    assertEquals(rules, applied.stream().sorted().toList());
  }
}
