package dev.jpd.server.http;

import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operators API with PD's paths and JSON ({@code server/api/operator.go},
 * {@code pkg/schedule/handler/handler.go}); shapes in {@link OperatorText}.
 *
 * <ul>
 *   <li>{@code GET /pd/api/v1/operators[?kind=admin|leader|region|waiting|…][&object]}: the
 *       running operators (of any of the kinds; every kind name of {@link OpKind} is accepted,
 *       PD takes admin, leader and region), plus the queued ones for {@code waiting}, as PD's
 *       strings, or as objects with {@code object}. An unknown kind is a 400 naming it (PD
 *       ignores it).
 *   <li>{@code POST /pd/api/v1/operators {name, region_id, …}}: an admin operator, see
 *       {@link OperatorCreation}.
 *   <li>{@code GET /pd/api/v1/operators/{region_id}}: the running operator, or one that ended
 *       within 10 minutes, as {@code "status: …, operator: …"}; 404 naming the region when there
 *       is none (PD answers 500 "operator not found").
 *   <li>{@code DELETE /pd/api/v1/operators/{region_id}}: cancels it (admin stop); 404 when the
 *       region has no running operator.
 *   <li>{@code DELETE /pd/api/v1/operators}: cancels every running and waiting operator.
 *   <li>{@code GET /pd/api/v1/operators/records[?from=<unix seconds>]}: operators that ended
 *       since then (default: all kept, 10 minutes), oldest first; {@code []} when none (PD
 *       answers 500 "operator not found").
 * </ul>
 */
public final class OperatorRoutes {
  private static final String P = "/pd/api/v1/operators";

  private final Operators operators;
  private final Supplier<List<Operator>> waiting;

  private OperatorRoutes(Operators operators, Supplier<List<Operator>> waiting) {
    this.operators = operators;
    this.waiting = waiting;
  }

  /** {@code waiting}: the operators queued by priority, not yet started. */
  public static void register(
      HttpApi api,
      Operators operators,
      Supplier<List<Operator>> waiting,
      OperatorCreation creation) {
    OperatorRoutes r = new OperatorRoutes(operators, waiting);
    // "records" before "{region_id}": routes match in registration order.
    api.get(P, r::list)
        .post(P, creation::create)
        .delete(P, r::removeAll)
        .get(P + "/records", r::records)
        .get(P + "/{region_id}", r::get)
        .delete(P + "/{region_id}", r::remove);
  }

  private Object list(HttpCall c) {
    List<String> kinds = c.queryAll("kind");
    Set<OpKind> wanted = new LinkedHashSet<>();
    boolean withWaiting = false;
    for (String k : kinds) {
      if (k.equals("waiting")) {
        withWaiting = true;
        continue;
      }
      OpKind kind = OpKind.byPdName(k);
      if (kind == null) {
        throw HttpError.badRequest("invalid kind \"" + k + "\": want one of " + kindNames());
      }
      wanted.add(kind);
    }
    List<Operator> out = new ArrayList<>();
    if (kinds.isEmpty() || !wanted.isEmpty()) {
      for (Operator op : operators.running()) {
        if (wanted.isEmpty() || wanted.stream().anyMatch(op::hasKind)) {
          out.add(op);
        }
      }
    }
    if (withWaiting) {
      out.addAll(waiting.get());
    }
    boolean object = c.query("object") != null;
    Function<Operator, Object> shape = object ? OperatorText::object : OperatorText::of;
    return out.stream().map(shape).toList();
  }

  private Object get(HttpCall c) {
    long id = regionId(c);
    Operator op = operators.getWithRecord(id)
        .orElseThrow(() -> HttpError.notFound("operator not found: region " + id + " has no operator"
            + " running or ended within 10 minutes"));
    return OperatorText.withStatus(op);
  }

  private Object remove(HttpCall c) {
    long id = regionId(c);
    if (!operators.remove(id, CancelReason.ADMIN_STOP)) {
      throw HttpError.notFound("operator not found: region " + id + " has no running operator");
    }
    return "The pending operator is canceled.";
  }

  private Object removeAll(HttpCall c) {
    operators.removeAll(CancelReason.ADMIN_STOP);
    return "All pending operators are canceled.";
  }

  private Object records(HttpCall c) {
    long fromSeconds = c.queryLong("from", 0);
    if (fromSeconds < 0) {
      throw HttpError.badRequest("invalid from " + fromSeconds + ": want unix seconds >= 0");
    }
    return operators.records(Math.multiplyExact(fromSeconds, 1000L)).stream()
        .map(OperatorText::record)
        .toList();
  }

  private static long regionId(HttpCall c) {
    long id = c.pathLong("region_id");
    if (id == 0) {
      throw HttpError.badRequest("invalid region_id 0: region ids start at 1");
    }
    return id;
  }

  private static List<String> kindNames() {
    List<String> names = new ArrayList<>();
    for (OpKind k : OpKind.values()) {
      names.add(k.pdName());
    }
    names.add("waiting");
    return names;
  }
}
