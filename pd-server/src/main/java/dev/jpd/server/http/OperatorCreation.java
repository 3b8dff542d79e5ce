package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.jpd.core.operator.BuildResult;
import dev.jpd.core.operator.BuilderCluster;
import dev.jpd.core.operator.MergePair;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorBuilder;
import dev.jpd.core.operator.OperatorCreator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.cluster.RaftCluster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /pd/api/v1/operators}: admin operators as PD's {@code HandleOperatorCreation} makes
 * them (kind admin, so urgent; started at once through {@link Operators#add}). Bodies, with PD's
 * descriptions:
 *
 * <ul>
 *   <li>{@code transfer-leader {region_id, to_store_id}}: admin-transfer-leader
 *   <li>{@code transfer-region {region_id, to_store_ids, peer_roles?}}: admin-move-region; roles
 *       are voter, leader, follower or learner, one per store, used only when as many as stores
 *   <li>{@code transfer-peer {region_id, from_store_id, to_store_id}}: admin-move-peer
 *   <li>{@code add-peer} / {@code add-learner {region_id, store_id}}: admin-add-peer /
 *       admin-add-learner
 *   <li>{@code remove-peer {region_id, store_id}}: admin-remove-peer
 *   <li>{@code merge-region {source_region_id, target_region_id}}: admin-merge-region (the pair)
 *   <li>{@code split-region {region_id, policy: scan|approximate|usekey, keys?: [hex]}}:
 *       admin-split-region
 * </ul>
 *
 * A bad body (missing or malformed field, unknown name or policy, a store or peer that does not
 * fit the region) is a 400 naming the problem, an unknown region or store a 404, and an operator
 * the controller refuses (one of equal or higher priority is running) a 409 with its reason; in
 * every case nothing is added. PD answers its messages for the first kind with 400 and the others
 * with 500. Success: 200 {@code "The operator is created."}.
 */
public final class OperatorCreation {
  private static final int ADMIN = OpKind.ADMIN.bit();

  private final RaftCluster cluster;
  private final BuilderCluster builder;
  private final Operators operators;
  private final Clock clock;

  public OperatorCreation(RaftCluster cluster, BuilderCluster builder, Operators operators, Clock clock) {
    this.cluster = cluster;
    this.builder = builder;
    this.operators = operators;
    this.clock = clock;
  }

  Object create(HttpCall c) {
    JsonNode in = c.json();
    if (!in.isObject()) {
      throw HttpError.badRequest("request body must be a JSON object {\"name\": ..., ...}");
    }
    JsonNode name = in.get("name");
    if (name == null || !name.isTextual()) {
      throw HttpError.badRequest("missing operator name");
    }
    long now = clock.millis();
    switch (name.asText()) {
      case "transfer-leader" -> {
        RegionInfo r = region(in, "region_id");
        long to = id(in, "to_store_id", "missing store id to transfer leader to");
        Metapb.Peer voter = r.getStorePeer(to);
        if (voter == null || voter.getRole() == Metapb.PeerRole.Learner) {
          throw HttpError.badRequest("region has no voter in store " + to);
        }
        add(OperatorCreator.createTransferLeaderOperator(
            "admin-transfer-leader", builder, r, to, List.of(), ADMIN, now));
      }
      case "transfer-region" -> {
        RegionInfo r = region(in, "region_id");
        Map<Long, OperatorBuilder.Role> roles = roles(in);
        for (long s : roles.keySet()) {
          checkStore(s);
        }
        add(OperatorCreator.createMoveRegionOperator("admin-move-region", builder, r, ADMIN, roles, now));
      }
      case "transfer-peer" -> {
        RegionInfo r = region(in, "region_id");
        long from = id(in, "from_store_id", "invalid store id to transfer peer from");
        long to = id(in, "to_store_id", "invalid store id to transfer peer to");
        Metapb.Peer old = r.getStorePeer(from);
        if (old == null) {
          throw HttpError.badRequest("region has no peer in store " + from);
        }
        checkStore(to);
        Metapb.Peer peer = Metapb.Peer.newBuilder().setStoreId(to).setRole(old.getRole())
            .setIsWitness(old.getIsWitness()).build();
        add(OperatorCreator.createMovePeerOperator("admin-move-peer", builder, r, ADMIN, from, peer, now));
      }
      case "add-peer", "add-learner" -> {
        boolean learner = name.asText().equals("add-learner");
        RegionInfo r = region(in, "region_id");
        long to = id(in, "store_id", "invalid store id to transfer peer to");
        if (r.getStorePeer(to) != null) {
          throw HttpError.badRequest("region already has peer in store " + to);
        }
        checkStore(to);
        add(learner
            ? OperatorCreator.createAddLearnerOperator("admin-add-learner", builder, r, to, ADMIN, now)
            : OperatorCreator.createAddPeerOperator("admin-add-peer", builder, r,
                Metapb.Peer.newBuilder().setStoreId(to).build(), ADMIN, now));
      }
      case "remove-peer" -> {
        RegionInfo r = region(in, "region_id");
        long from = id(in, "store_id", "invalid store id to transfer peer to");
        if (r.getStorePeer(from) == null) {
          throw HttpError.badRequest("region has no peer in store " + from);
        }
        add(OperatorCreator.createRemovePeerOperator("admin-remove-peer", builder, ADMIN, r, from, now));
      }
      case "merge-region" -> merge(in, now);
      case "split-region" -> split(in, now);
      default -> throw HttpError.badRequest("unknown operator \"" + name.asText() + "\": want one of "
          + "transfer-leader, transfer-region, transfer-peer, add-peer, add-learner, remove-peer, "
          + "merge-region, split-region");
    }
    return "The operator is created.";
  }

  private void merge(JsonNode in, long now) {
    RegionInfo source = region(in, "source_region_id");
    long targetId = id(in, "target_region_id", "invalid target region id to merge to");
    RegionInfo target = cluster.regions().getRegion(targetId);
    if (target == null) {
      throw HttpError.notFound("region " + targetId + " not found");
    }
    for (RegionInfo r : List.of(source, target)) {
      if (!r.downPeers().isEmpty() || !r.pendingPeers().isEmpty()) {
        throw HttpError.badRequest("region " + r.id() + " has abnormal peers (down or pending)");
      }
    }
    boolean leftOf = source.endKey().equals(target.startKey()) && !source.endKey().isEmpty();
    boolean rightOf = target.endKey().equals(source.startKey()) && !source.startKey().isEmpty();
    if (!leftOf && !rightOf) {
      throw HttpError.badRequest("regions " + source.id() + " and " + targetId + " are not adjacent");
    }
    BuildResult<MergePair> pair = OperatorCreator.createMergeRegionOperator(
        "admin-merge-region", builder, source, target, ADMIN, now);
    if (!pair.ok()) {
      throw HttpError.badRequest("cannot create operator: " + String.join("; ", pair.errors()));
    }
    accept(operators.add(pair.value().active(), pair.value().passive()));
  }

  private void split(JsonNode in, long now) {
    RegionInfo r = region(in, "region_id");
    JsonNode p = in.get("policy");
    if (p == null || !p.isTextual()) {
      throw HttpError.badRequest("missing split policy");
    }
    Pdpb.CheckPolicy policy;
    try {
      policy = Pdpb.CheckPolicy.valueOf(p.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("check policy " + p.asText() + " is not supported: want scan, "
          + "approximate or usekey");
    }
    List<ByteString> keys = new ArrayList<>();
    JsonNode ks = in.get("keys");
    if (ks != null && !ks.isNull()) {
      if (!ks.isArray()) {
        throw HttpError.badRequest("bad format keys: want an array of hex strings");
      }
      for (JsonNode k : ks) {
        if (!k.isTextual()) {
          throw HttpError.badRequest("bad format keys: " + k + " is not a string");
        }
        if (policy == Pdpb.CheckPolicy.USEKEY) {
          try {
            keys.add(ByteString.copyFrom(HexFormat.of().parseHex(k.asText())));
          } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("split key " + k.asText() + " is not in hex format");
          }
        }
      }
    }
    add(OperatorCreator.createSplitRegionOperator("admin-split-region", r, ADMIN, policy, keys, now));
  }

  private void add(BuildResult<Operator> op) {
    if (!op.ok()) {
      throw HttpError.badRequest("cannot create operator: " + String.join("; ", op.errors()));
    }
    accept(operators.add(op.value()));
  }

  private static void accept(Operators.AddResult r) {
    if (!r.accepted()) {
      throw new HttpError(409, "failed to add operator: " + r.reason());
    }
  }

  private RegionInfo region(JsonNode in, String field) {
    long id = id(in, field, "missing region id");
    RegionInfo r = cluster.regions().getRegion(id);
    if (r == null) {
      throw HttpError.notFound("region " + id + " not found");
    }
    return r;
  }

  /** PD's store check for targets: known, not Tombstone, not Offline, not down. */
  private void checkStore(long id) {
    StoreInfo s = cluster.stores().get(id);
    if (s == null) {
      throw HttpError.notFound("store " + id + " not found");
    }
    if (s.meta().getState() == Metapb.StoreState.Tombstone) {
      throw HttpError.badRequest("store " + id + " has been removed");
    }
    if (s.meta().getState() == Metapb.StoreState.Offline) {
      throw HttpError.badRequest("store " + id + " is offline (being removed)");
    }
    if (builder.isStoreDown(id)) {
      throw HttpError.badRequest("store " + id + " is unhealthy (down)");
    }
  }

  private Map<Long, OperatorBuilder.Role> roles(JsonNode in) {
    JsonNode ids = in.get("to_store_ids");
    if (ids == null || ids.isNull()) {
      throw HttpError.badRequest("missing store ids to transfer region to");
    }
    if (!ids.isArray()) {
      throw HttpError.badRequest("invalid store ids to transfer region to: want an array of ids");
    }
    if (ids.isEmpty()) {
      throw HttpError.badRequest("missing store ids to transfer region to");
    }
    JsonNode roles = in.get("peer_roles");
    boolean useRoles = roles != null && roles.isArray() && roles.size() == ids.size();
    Map<Long, OperatorBuilder.Role> out = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      long id = positive(ids.get(i), "invalid store ids to transfer region to");
      OperatorBuilder.Role role = OperatorBuilder.Role.VOTER;
      if (useRoles && roles.get(i).isTextual() && !roles.get(i).asText().isEmpty()) {
        role = role(roles.get(i).asText());
      }
      if (out.put(id, role) != null) {
        throw HttpError.badRequest("invalid store ids to transfer region to: store " + id + " twice");
      }
    }
    return out;
  }

  private static OperatorBuilder.Role role(String s) {
    return switch (s) {
      case "voter" -> OperatorBuilder.Role.VOTER;
      case "leader" -> OperatorBuilder.Role.LEADER;
      case "follower" -> OperatorBuilder.Role.FOLLOWER;
      case "learner" -> OperatorBuilder.Role.LEARNER;
      default -> throw HttpError.badRequest("invalid peer role \"" + s
          + "\": want voter, leader, follower or learner");
    };
  }

  private static long id(JsonNode in, String field, String missing) {
    JsonNode v = in.get(field);
    if (v == null || v.isNull()) {
      throw HttpError.badRequest(missing + " (" + field + ")");
    }
    return positive(v, "invalid " + field);
  }

  private static long positive(JsonNode v, String what) {
    if (!v.isNumber() || !v.canConvertToLong() || v.asDouble() != Math.rint(v.asDouble())
        || v.asLong() <= 0) {
      throw HttpError.badRequest(what + ": " + v + " is not a positive integer");
    }
    return v.asLong();
  }
}
