package dev.jpd.core.placement;

import dev.jpd.core.placement.RegionFit.FitPeer;
import dev.jpd.core.placement.RegionFit.RuleFit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Questions the rule checker asks of a {@link RegionFit} (PD's {@code RegionFit.GetRuleFit},
 * {@code ExtraCount} and {@code Replace}). Kept apart from {@link RegionFit} so that the fit
 * itself stays a plain result; every method is pure and reads the fit only.
 */
public final class FitQueries {
  private FitQueries() {}

  /** The rule fit that took the peer, or null when the peer is an orphan or not in the fit. */
  public static RuleFit ruleFitOfPeer(RegionFit fit, long peerId) {
    for (RuleFit rf : fit.ruleFits()) {
      for (FitPeer p : rf.peers()) {
        if (p.peerId() == peerId) {
          return rf;
        }
      }
    }
    return null;
  }

  /** The rule fit holding a peer on the store, or null when no rule took a peer there. */
  public static RuleFit ruleFitOfStore(RegionFit fit, long storeId) {
    for (RuleFit rf : fit.ruleFits()) {
      if (holds(rf, storeId)) {
        return rf;
      }
    }
    return null;
  }

  /**
   * PD's {@code ExtraCount}: the region's peers (rule peers and orphans) minus the peers its
   * rules ask for. Positive when the region has more peers than the rules want.
   */
  public static int extraCount(RegionFit fit) {
    int peers = fit.orphanPeers().size();
    int wanted = 0;
    for (RuleFit rf : fit.ruleFits()) {
      peers += rf.peers().size();
      wanted += rf.rule().count();
    }
    return peers - wanted;
  }

  /**
   * PD's {@code RegionFit.Replace}: whether a peer on {@code dstStore} could take the place of the
   * peer on {@code srcStore} in the rule that holds {@code srcStore}, without making that rule
   * worse. True when the destination already serves the same rule, or serves another rule of
   * the same role (a role exchange); otherwise the destination must match the rule's label
   * constraints and the rule's isolation score with the destination in place of the source must
   * not drop. False when no rule holds {@code srcStore} or the destination's labels are unknown.
   *
   * @param storeLabels store id to labels; must hold the fit's stores and {@code dstStore}
   */
  public static boolean canReplace(RegionFit fit, long srcStore, long dstStore,
      Map<Long, Map<String, String>> storeLabels) {
    RuleFit src = ruleFitOfStore(fit, srcStore);
    Map<String, String> dstLabels = storeLabels.get(dstStore);
    if (src == null || dstLabels == null) {
      return false;
    }
    if (holds(src, dstStore)) {
      return true;
    }
    RuleFit dst = ruleFitOfStore(fit, dstStore);
    if (dst != null && dst.rule().peerRole() == src.rule().peerRole()) {
      return true;
    }
    if (!LabelConstraint.matchesAll(dstLabels, src.rule().labelConstraints())) {
      return false;
    }
    List<FitPeer> swapped = new ArrayList<>(src.peers().size());
    for (FitPeer p : src.peers()) {
      swapped.add(p.storeId() == srcStore
          ? new FitPeer(p.peerId(), dstStore, p.learner(), p.leader()) : p);
    }
    double after = RegionFit.isolationScore(swapped, storeLabels, src.rule().locationLabels());
    return src.isolationScore() <= after;
  }

  private static boolean holds(RuleFit rf, long storeId) {
    for (FitPeer p : rf.peers()) {
      if (p.storeId() == storeId) {
        return true;
      }
    }
    return false;
  }
}
