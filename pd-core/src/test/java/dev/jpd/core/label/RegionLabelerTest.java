package dev.jpd.core.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.KeyValue;
import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.Operation;
import dev.jpd.core.storage.PdKeys;
import dev.jpd.core.testing.TestClock;
import dev.jpd.proto.Metapb;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class RegionLabelerTest {
  static final PdKeys KEYS = new PdKeys(7);

  /** A MemoryMetaStore whose writes can be made to fail. */
  static final class FlakyStore implements MetaStore {
    final MemoryMetaStore mem = new MemoryMetaStore();
    boolean fail;

    void beforeWrite() {
      if (fail) {
        throw new MetaStoreException("injected failure");
      }
    }

    @Override
    public Optional<byte[]> get(String key) {
      return mem.get(key);
    }

    @Override
    public List<KeyValue> scanPrefix(String prefix, int limit) {
      return mem.scanPrefix(prefix, limit);
    }

    @Override
    public void put(String key, byte[] value) {
      beforeWrite();
      mem.put(key, value);
    }

    @Override
    public void delete(String key) {
      beforeWrite();
      mem.delete(key);
    }

    @Override
    public boolean txn(List<Condition> conditions, List<Operation> operations) {
      beforeWrite();
      return mem.txn(conditions, operations);
    }

    @Override
    public void close() {
      mem.close();
    }
  }

  final TestClock clock = new TestClock(1_700_000_000_000L);
  final FlakyStore store = new FlakyStore();
  RegionLabeler labeler;

  @BeforeEach
  void setUp() {
    labeler = fresh();
  }

  RegionLabeler fresh() {
    return new RegionLabeler(store, KEYS, new TextCodec(), clock).load();
  }

  static LabelRule rule(String id, int index, String labels, String... hexRanges) {
    List<RegionLabel> ls = Stream.of(labels.split(","))
        .map(kv -> kv.split("="))
        .map(p -> RegionLabel.of(p[0], p[1]))
        .toList();
    List<HexRange> rs = Stream.iterate(0, i -> i < hexRanges.length, i -> i + 2)
        .map(i -> new HexRange(hexRanges[i], hexRanges[i + 1]))
        .toList();
    return LabelRule.create(id, index, ls, "key-range", rs);
  }

  static RegionInfo region(long id, String startHex, String endHex) {
    return RegionInfo.fromMeta(
        Metapb.Region.newBuilder().setId(id)
            .setStartKey(ByteString.copyFrom(HexFormat.of().parseHex(startHex)))
            .setEndKey(ByteString.copyFrom(HexFormat.of().parseHex(endHex)))
            .build(),
        null);
  }

  static String labelsText(List<RegionLabel> ls) {
    return String.join(",", ls.stream().map(l -> l.key() + "=" + l.value()).toList());
  }

  // Rules: low [10,40) a=low,b=low idx 1; high [20,30) a=high idx 5; tail [50,+inf) c=tail idx 0;
  // tie1/tie2 equal index on [60,70): the smaller id wins.
  void overlappingRules() {
    labeler.patch(List.of(
        rule("low", 1, "a=low,b=low", "10", "40"),
        rule("high", 5, "a=high", "20", "30"),
        rule("tail", 0, "c=tail", "50", ""),
        rule("tie2", 2, "t=two", "60", "70"),
        rule("tie1", 2, "t=one", "60", "70")), List.of());
  }

  static Stream<Arguments> lookups() {
    return Stream.of(
        Arguments.of("before every rule", "00", "05", ""),
        Arguments.of("inside low only", "10", "20", "a=low,b=low"),
        Arguments.of("inside both: higher index wins a", "21", "22", "a=high,b=low"),
        Arguments.of("exactly the high range", "20", "30", "a=high,b=low"),
        Arguments.of("spans a boundary: no labels (split first)", "15", "25", ""),
        Arguments.of("after low, before tail", "40", "50", ""),
        Arguments.of("inside the open tail", "55", "56", "c=tail"),
        Arguments.of("open-ended region over later boundaries", "55", "", ""),
        Arguments.of("equal index: smaller id wins", "60", "70", "c=tail,t=one"),
        Arguments.of("open-ended region past every boundary", "70", "", "c=tail"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lookups")
  void labelsOfARegion(String name, String start, String end, String want) {
    overlappingRules();
    assertThat(labelsText(labeler.labels(region(9, start, end)))).isEqualTo(want);
  }

  @Test
  void oneLabelByKey() {
    overlappingRules();
    assertThat(labeler.label(region(9, "21", "22"), "a")).isEqualTo("high");
    assertThat(labeler.label(region(9, "21", "22"), "b")).isEqualTo("low");
    assertThat(labeler.label(region(9, "21", "22"), "c")).isEmpty();
  }

  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of("whole key space", "", "", List.of("10", "20", "30", "40", "50", "60", "70")),
        Arguments.of("boundaries on the region's edges are not split keys", "10", "20", List.of()),
        Arguments.of("strictly inside", "15", "45", List.of("20", "30", "40")),
        Arguments.of("open end", "55", "", List.of("60", "70")),
        Arguments.of("nothing inside", "71", "", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("splits")
  void splitKeysAreRuleBoundariesInsideTheRegion(String name, String start, String end, List<String> want) {
    overlappingRules();
    assertThat(labeler.splitKeys(region(9, start, end)).stream().map(HexFormat.of()::formatHex))
        .containsExactlyElementsOf(want);
  }

  static Stream<Arguments> merges() {
    return Stream.of(
        Arguments.of("no rule between", "00", "05", "05", "08", false),
        Arguments.of("adjacent the other way", "05", "08", "00", "05", false),
        Arguments.of("a boundary at the shared edge", "08", "10", "10", "12", true),
        Arguments.of("a boundary inside the adjacent", "30", "38", "38", "48", true),
        Arguments.of("both in one rule", "11", "12", "12", "13", false),
        Arguments.of("merge_option=deny on the region", "81", "82", "82", "83", true),
        Arguments.of("merge_option=deny on the adjacent", "82", "83", "81", "82", true),
        Arguments.of("not adjacent", "00", "05", "06", "08", true),
        Arguments.of("empty end is not adjacent to an empty start", "81", "", "", "81", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("merges")
  void mergeDeniedAtBoundariesAndByLabel(String name, String rs, String re, String as, String ae, boolean denied) {
    labeler.patch(List.of(
        rule("r1", 0, "x=y", "10", "40"),
        rule("nomerge", 0, "merge_option=deny", "80", "90")), List.of());
    // "81".."83" lie inside nomerge; "80" and "90" are its edges
    assertThat(labeler.mergeDenied(region(1, rs, re), region(2, as, ae))).isEqualTo(denied);
  }

  @Test
  void scheduleDenyInAnyCase() {
    labeler.setRule(rule("d", 0, "schedule=DENY", "10", "20"));
    assertThat(labeler.scheduleDenied(region(1, "11", "12"))).isTrue();
    assertThat(labeler.scheduleDenied(region(1, "20", "21"))).isFalse();
    labeler.setRule(rule("d", 0, "schedule=allow", "10", "20"));
    assertThat(labeler.scheduleDenied(region(1, "11", "12"))).isFalse();
  }

  @Test
  void ttlLabelsExpireOnTheClockAndAnEmptiedRuleGoesAway() {
    labeler.setRule(LabelRule.create("t", 0,
        List.of(RegionLabel.of("schedule", "deny", "10m", ""), RegionLabel.of("k", "v", "1h", "")),
        "key-range", List.of(new HexRange("10", "20"))));
    assertThat(labeler.scheduleDenied(region(1, "11", "12"))).isTrue();
    clock.advance(Duration.ofMinutes(10).plusMillis(1));
    assertThat(labeler.scheduleDenied(region(1, "11", "12"))).isFalse();
    assertThat(labelsText(labeler.labels(region(1, "11", "12")))).isEqualTo("k=v");
    assertThat(labeler.getRule("t").orElseThrow().labels()).hasSize(1);
    assertThat(labeler.splitKeys(region(1, "00", "ff"))).hasSize(2);
    clock.advance(Duration.ofHours(1));
    assertThat(labeler.getRule("t")).isEmpty();
    assertThat(labeler.getRules()).isEmpty();
    assertThat(labeler.splitKeys(region(1, "00", "ff"))).isEmpty();
    // still stored until GC or a restart
    assertThat(store.get(KEYS.regionLabel("t"))).isPresent();
    assertThat(labeler.gcExpired()).isEqualTo(1);
    assertThat(store.get(KEYS.regionLabel("t"))).isEmpty();
  }

  @Test
  void aRuleWhoseTtlsAlreadyExpiredIsRefused() {
    LabelRule stale = LabelRule.create("s", 0,
        List.of(RegionLabel.of("k", "v", "1m", "Mon Jan  2 15:04:05 UTC 2006")),
        "key-range", List.of(new HexRange("", "")));
    assertThatThrownBy(() -> labeler.setRule(stale))
        .isInstanceOf(LabelRuleException.class).hasMessageContaining("expired ttl");
    assertThat(labeler.getRules()).isEmpty();
    assertThat(store.scanPrefix(KEYS.regionLabelPrefix(), 0)).isEmpty();
  }

  @Test
  void rulesSurviveARestartWithTheirStartTimes() {
    labeler.setRule(LabelRule.create("t", 4, List.of(RegionLabel.of("k", "v", "1h", "")),
        "key-range", List.of(new HexRange("AA", ""), new HexRange("01", "02"))));
    labeler.setRule(rule("p", 1, "schedule=deny", "10", "20"));
    LabelRule before = labeler.getRule("t").orElseThrow();
    clock.advance(Duration.ofMinutes(30));
    RegionLabeler again = fresh();
    assertThat(again.getRules()).containsExactlyElementsOf(labeler.getRules());
    assertThat(again.getRule("t").orElseThrow().labels().get(0).startAt())
        .isEqualTo(before.labels().get(0).startAt());
    assertThat(again.scheduleDenied(region(1, "10", "20"))).isTrue();
    clock.advance(Duration.ofMinutes(31));
    RegionLabeler later = fresh();
    assertThat(later.getRule("t")).isEmpty();
    assertThat(store.get(KEYS.regionLabel("t"))).isEmpty();
    assertThat(store.get(KEYS.regionLabel("p"))).isPresent();
  }

  @Test
  void aBadStoredRuleIsDroppedAtLoad() {
    store.put(KEYS.regionLabel("junk"), "junk&0&key-range&0&&".getBytes());
    labeler.setRule(rule("ok", 0, "a=b", "", ""));
    RegionLabeler again = fresh();
    assertThat(again.getRules()).extracting(LabelRule::id).containsExactly("ok");
    assertThat(store.get(KEYS.regionLabel("junk"))).isEmpty();
  }

  @Test
  void patchDeletesThenSetsAtomically() {
    labeler.patch(List.of(rule("a", 0, "k=a", "10", "20"), rule("b", 0, "k=b", "20", "30")), List.of());
    labeler.patch(
        List.of(rule("c", 0, "k=c", "30", "40"), rule("b", 0, "k=b2", "20", "30"), rule("b", 0, "k=b3", "20", "30")),
        List.of("a", "b", "nope"));
    assertThat(labeler.getRules()).extracting(LabelRule::id).containsExactly("b", "c");
    assertThat(labeler.label(region(1, "20", "30"), "k")).isEqualTo("b3");
    assertThat(labeler.getRulesByIds(List.of("c", "zz", "b"))).extracting(LabelRule::id).containsExactly("c", "b");
    assertThat(fresh().getRules()).isEqualTo(labeler.getRules());
  }

  @Test
  void deleteRule() {
    labeler.setRule(rule("a", 0, "k=a", "10", "20"));
    assertThat(labeler.deleteRule("zz")).isFalse();
    assertThat(labeler.deleteRule("a")).isTrue();
    assertThat(labeler.getRules()).isEmpty();
    assertThat(fresh().getRules()).isEmpty();
  }

  @Test
  void aFailedWriteChangesNothing() {
    labeler.setRule(rule("a", 0, "schedule=deny", "10", "20"));
    store.fail = true;
    assertThatThrownBy(() -> labeler.setRule(rule("b", 0, "schedule=deny", "30", "40")))
        .isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(() -> labeler.deleteRule("a")).isInstanceOf(MetaStoreException.class);
    assertThatThrownBy(() -> labeler.patch(List.of(rule("c", 0, "k=v", "", "")), List.of("a")))
        .isInstanceOf(MetaStoreException.class);
    assertThat(labeler.getRules()).extracting(LabelRule::id).containsExactly("a");
    assertThat(labeler.scheduleDenied(region(1, "30", "31"))).isFalse();
    assertThat(labeler.splitKeys(region(1, "", ""))).hasSize(2);
    store.fail = false;
    assertThat(fresh().getRules()).extracting(LabelRule::id).containsExactly("a");
  }

  @Test
  void everyWriteReportsTheRangesItTouchedOnlyOnceItSucceeded() {
    List<String> heard = new java.util.ArrayList<>();
    labeler.onRangesChanged((start, end) ->
        heard.add(HexFormat.of().formatHex(start) + "-" + HexFormat.of().formatHex(end)));
    labeler.setRule(rule("a", 0, "schedule=deny", "10", "20", "30", "40"));
    assertThat(heard).containsExactly("10-20", "30-40");
    heard.clear();
    labeler.setRule(rule("a", 0, "schedule=deny", "50", ""));
    assertThat(heard).as("the new range and the replaced ones").containsExactlyInAnyOrder("50-", "10-20", "30-40");
    heard.clear();
    store.fail = true;
    assertThatThrownBy(() -> labeler.deleteRule("a")).isInstanceOf(MetaStoreException.class);
    assertThat(heard).as("nothing changed, nothing reported").isEmpty();
    store.fail = false;
    assertThat(labeler.deleteRule("a")).isTrue();
    assertThat(heard).containsExactly("50-");
  }

  @Test
  void storedUnderPdsKey() {
    labeler.setRule(rule("keyspaces/1", 0, "k=v", "", ""));
    assertThat(store.get("/pd/7/region_label/keyspaces/1")).isPresent();
  }
}
