package dev.jpd.core.operator;

import static dev.jpd.core.operator.Regions.region;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step judged against reported regions: is it finished, how much conf_ver it accounts for,
 * and whether it can still finish (PD's IsFinish / ConfVerChanged / CheckInProgress).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StepProgressTest {

  /** One row: the step, the region (peer spec), and the three expected answers. */
  record Row(OpStep step, String region, boolean finished, long confVer, String staleReason) {
    @Override
    public String toString() {
      return step.typeName() + " on [" + region + "]";
    }
  }

  static Row row(OpStep step, String region, boolean finished, long confVer, String stale) {
    return new Row(step, region, finished, confVer, stale);
  }

  private static final PromoteLearner PROMOTE_4 = new PromoteLearner(4, 100);
  private static final DemoteVoter DEMOTE_3 = new DemoteVoter(3, 3);
  private static final ChangePeerV2Enter ENTER =
      new ChangePeerV2Enter(List.of(PROMOTE_4), List.of(DEMOTE_3));
  private static final ChangePeerV2Leave LEAVE =
      new ChangePeerV2Leave(List.of(PROMOTE_4), List.of(DEMOTE_3));

  static Stream<Row> rows() {
    return Stream.of(
        // AddLearner: the learner must exist with this id and have its snapshot (not pending)
        row(new AddLearner(4, 100), "1* 2 3", false, 0, null),
        row(new AddLearner(4, 100), "1* 2 3 L4:100~", false, 1, null),
        row(new AddLearner(4, 100), "1* 2 3 L4:100", true, 1, null),
        row(new AddLearner(4, 100), "1* 2 3 L4:7", false, 0, "has already existed in store 4"),
        row(new AddLearner(4, 100), "1* 2 3 4:100", false, 1, "already is a voter"),
        // AddPeer: a voter with this id, not pending
        row(new AddPeer(4, 100), "1* 2 3", false, 0, null),
        row(new AddPeer(4, 100), "1* 2 3 4:100~", false, 1, null),
        row(new AddPeer(4, 100), "1* 2 3 4:100", true, 1, null),
        row(new AddPeer(4, 100), "1* 2 3 L4:100", false, 0, null),
        row(new AddPeer(4, 100), "1* 2 3 4:9", false, 0, "has already existed in store 4"),
        // PromoteLearner: a full Voter; an IncomingVoter is still in the joint state
        row(PROMOTE_4, "1* 2 L4:100", false, 0, null),
        row(PROMOTE_4, "1* 2 4:100", true, 1, null),
        row(PROMOTE_4, "1* 2 I4:100", false, 0, null),
        row(PROMOTE_4, "1* 2 3", false, 0, "does not exist on store 4"),
        // DemoteVoter: a learner with this id; a removed peer still counts for conf_ver
        row(DEMOTE_3, "1* 2 3", false, 0, null),
        row(DEMOTE_3, "1* 2 L3", true, 1, null),
        row(DEMOTE_3, "1* 2 D3", false, 0, null),
        row(DEMOTE_3, "1* 2", false, 1, "does not exist on store 3"),
        row(DEMOTE_3, "1 2 3*", false, 0, "cannot demote leader"),
        // RemovePeer: no peer on the store; a new peer id there means it was removed and re-added
        row(new RemovePeer(3, 3), "1* 2 3", false, 0, null),
        row(new RemovePeer(3, 3), "1* 2", true, 1, null),
        row(new RemovePeer(3, 3), "1* 2 L3:100", false, 1, null),
        row(new RemovePeer(3, 3), "1 2 3*", false, 0, "cannot remove leader peer"),
        // TransferLeader: the leader is on the target (or one of the targets)
        row(new TransferLeader(1, 2), "1* 2 3", false, 0, null),
        row(new TransferLeader(1, 2), "1 2* 3", true, 0, null),
        row(new TransferLeader(1, 2, List.of(3L)), "1 2 3*", true, 0, null),
        row(new TransferLeader(1, 2), "1 2 3*", false, 0, null),
        row(new TransferLeader(1, 2), "1* L2 3", false, 0, "is a learner"),
        row(new TransferLeader(1, 2), "1* 3", false, 0, "no peer on target store 2"),
        // ChangePeerV2Enter: promoted IncomingVoter/Voter, demoted DemotingVoter/Learner
        row(ENTER, "1* 2 3 L4:100", false, 0, null),
        row(ENTER, "1* 2 D3 I4:100", true, 2, null),
        row(ENTER, "1* 2 L3 4:100", true, 2, null),
        row(ENTER, "1* 2 4:100", false, 2, "not found on store 3"),
        row(ENTER, "1* 2 3", false, 0, "peer 100 not found on store 4"),
        row(ENTER, "1* 2 D3 L4:100", false, 0, "non-atomic joint consensus"),
        // ChangePeerV2Leave: promoted Voter, demoted Learner (or gone), no joint role left
        row(LEAVE, "1* 2 D3 I4:100", false, 0, null),
        row(LEAVE, "1* 2 L3 4:100", true, 2, null),
        row(LEAVE, "1* 2 4:100", true, 2, "peer 3 not found on store 3"),
        row(LEAVE, "1* 2 3 L4:100", false, 0, "is still a learner"),
        row(ENTER, "1* 2 D3 4:100", true, 2, "non-atomic joint consensus"),
        row(ENTER, "1* 2 3 L4:100 I5", false, 0, "other peers are in joint state"),
        row(ENTER, "1* 2 I3 L4:100", false, 0, "cannot demote peer 3 with role IncomingVoter"),
        row(LEAVE, "1 2 D3* I4:100", false, 0, "is a demoting voter"),
        row(LEAVE, "1* 2 L3 I4:100", false, 0, "non-atomic joint consensus"),
        // SplitRegion: the range [a, z) changed
        row(split(), "1* 2 3", false, 0, null),
        // MergeRegion: the active side never finishes by itself
        row(new MergeRegion(meta(2, "a", "m"), meta(1, "m", "z"), false), "1* 2 3", false, 0, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void judge(Row row) {
    RegionInfo region = region(row.region());
    assertThat(row.step().isFinish(region)).as("isFinish").isEqualTo(row.finished());
    assertThat(row.step().confVerChanged(region)).as("confVerChanged").isEqualTo(row.confVer());
    if (row.staleReason() == null) {
      assertThat(row.step().checkInProgress(region)).as("checkInProgress").isEmpty();
    } else {
      assertThat(row.step().checkInProgress(region)).as("checkInProgress").hasValueSatisfying(
          why -> assertThat(why).contains(row.staleReason()));
    }
  }

  record RangeRow(OpStep step, String start, String end, boolean finished) {}

  static Stream<RangeRow> rangeRows() {
    MergeRegion passive = new MergeRegion(meta(2, "a", "m"), meta(1, "m", "z"), true);
    return Stream.of(
        new RangeRow(split(), "a", "z", false),
        new RangeRow(split(), "a", "k", true),
        new RangeRow(split(), "k", "z", true),
        new RangeRow(passive, "m", "z", false),
        new RangeRow(passive, "a", "z", true));
  }

  @ParameterizedTest
  @MethodSource("rangeRows")
  void rangeSteps(RangeRow row) {
    RegionInfo region = Regions.region("1* 2 3", 10, row.start(), row.end());
    assertThat(row.step().isFinish(region)).isEqualTo(row.finished());
    assertThat(row.step().confVerChanged(region)).isZero();
  }

  static SplitRegion split() {
    return new SplitRegion(ByteString.copyFromUtf8("a"), ByteString.copyFromUtf8("z"),
        Pdpb.CheckPolicy.SCAN, List.of());
  }

  static Metapb.Region meta(long id, String start, String end) {
    return Metapb.Region.newBuilder().setId(id).setStartKey(ByteString.copyFromUtf8(start))
        .setEndKey(ByteString.copyFromUtf8(end)).build();
  }
}
