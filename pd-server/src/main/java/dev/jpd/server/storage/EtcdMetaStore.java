package dev.jpd.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.KeyValue;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.Operation;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The {@link MetaStore} on etcd, through jetcd. Keys are written verbatim (PD's layout, no
 * namespace), so the Go PD's tools read what this writes.
 *
 * <p>Design note. Every call is bounded by the timeout given to {@link #connect}: a gRPC deadline
 * on each RPC (an interceptor on the channel, so etcd stops working on an abandoned request too),
 * jetcd's own retries of idempotent reads capped at the same duration, and a final wait on the
 * future that never outlasts it. jetcd retries a write only when the request provably did not
 * reach etcd, so no put or txn is applied twice. When a call fails, the exception names the key
 * and the endpoints; a write that timed out may still have been applied, so the message says the
 * outcome is unknown. The client connects lazily: {@link #connect} succeeds with etcd down and the
 * first call reports it. {@link Condition.Absent} maps to {@code CreateRevision(key) == 0} and
 * {@link Condition.ValueEquals} to {@code Value(key) == value}, as PD's own transactions do.
 */
public final class EtcdMetaStore implements MetaStore {
  /** The shortest timeout {@link #connect} accepts. */
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(10);

  private final Client client;
  private final KV kv;
  private final List<String> endpoints;
  private final Duration timeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EtcdMetaStore(Client client, List<String> endpoints, Duration timeout) {
    this.client = client;
    this.kv = client.getKVClient();
    this.endpoints = endpoints;
    this.timeout = timeout;
  }

  /**
   * A store on the etcd cluster at {@code endpoints} (URLs such as {@code http://127.0.0.1:2379}),
   * where every call fails with {@link MetaStoreException} after {@code timeout} at most.
   */
  public static EtcdMetaStore connect(List<String> endpoints, Duration timeout) {
    List<String> copy = List.copyOf(endpoints);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoints given");
    }
    if (timeout.compareTo(MIN_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          "etcd timeout must be at least " + MIN_TIMEOUT.toMillis() + " ms, got " + timeout);
    }
    // jetcd's retry backoff (default 500 ms to 2.5 s) must fit inside the timeout.
    long millis = timeout.toMillis();
    long retryDelay = Math.max(1, Math.min(500, millis / 10));
    long retryMaxDelay = Math.max(retryDelay + 1, Math.min(2500, millis / 2));
    Client client;
    try {
      client =
          Client.builder()
              .endpoints(copy.toArray(String[]::new))
              .connectTimeout(timeout)
              .retryDelay(retryDelay)
              .retryMaxDelay(retryMaxDelay)
              .retryChronoUnit(ChronoUnit.MILLIS)
              .retryMaxDuration(timeout)
              .interceptor(new DeadlineInterceptor(timeout))
              .build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "bad etcd endpoints "
              + copy
              + ": "
              + e.getMessage()
              + " (want URLs like http://host:2379)",
          e);
    }
    return new EtcdMetaStore(client, copy, timeout);
  }

  /** The endpoints this store talks to. */
  public List<String> endpoints() {
    return endpoints;
  }

  @Override
  public Optional<byte[]> get(String key) {
    checkOpen();
    GetResponse r = await("get " + key, false, () -> kv.get(bytes(key)));
    return r.getKvs().isEmpty()
        ? Optional.empty()
        : Optional.of(r.getKvs().get(0).getValue().getBytes());
  }

  @Override
  public List<KeyValue> scanPrefix(String prefix, int limit) {
    checkOpen();
    // etcd returns a range in ascending key order already; asking it to sort ASCEND by KEY would
    // make etcd 3.4 read the whole range before applying the limit (the Go client avoids it too).
    GetOption.Builder option =
        GetOption.builder()
            .withSortField(GetOption.SortTarget.KEY)
            .withSortOrder(GetOption.SortOrder.NONE)
            .withLimit(Math.max(limit, 0));
    ByteSequence from;
    if (prefix.isEmpty()) {
      // etcd has no empty key: "\0" up to the range end "\0" means every key.
      from = ByteSequence.from(new byte[] {0});
      option.withRange(from);
    } else {
      from = bytes(prefix);
      option.isPrefix(true);
    }
    GetResponse r = await("scan " + prefix, false, () -> kv.get(from, option.build()));
    List<KeyValue> out = new ArrayList<>(r.getKvs().size());
    for (io.etcd.jetcd.KeyValue e : r.getKvs()) {
      out.add(new KeyValue(e.getKey().toString(UTF_8), e.getValue().getBytes()));
    }
    return out;
  }

  @Override
  public void put(String key, byte[] value) {
    checkOpen();
    await("put " + key, true, () -> kv.put(bytes(key), ByteSequence.from(value)));
  }

  @Override
  public void delete(String key) {
    checkOpen();
    await("delete " + key, true, () -> kv.delete(bytes(key)));
  }

  @Override
  public boolean txn(List<Condition> conditions, List<Operation> operations) {
    checkOpen();
    Operation.requireDistinctKeys(operations);
    Cmp[] cmps = new Cmp[conditions.size()];
    for (int i = 0; i < cmps.length; i++) {
      cmps[i] = toCmp(conditions.get(i));
    }
    Op[] ops = new Op[operations.size()];
    for (int i = 0; i < ops.length; i++) {
      ops[i] = toOp(operations.get(i));
    }
    String what = "txn on " + Txns.keysOf(conditions, operations);
    return await(what, true, () -> kv.txn().If(cmps).Then(ops).commit()).isSucceeded();
  }

  private static Cmp toCmp(Condition c) {
    if (c instanceof Condition.Absent) {
      return new Cmp(bytes(c.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(0));
    }
    byte[] expected = ((Condition.ValueEquals) c).value();
    return new Cmp(bytes(c.key()), Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(expected)));
  }

  private static Op toOp(Operation o) {
    if (o instanceof Operation.Put p) {
      return Op.put(bytes(p.key()), ByteSequence.from(p.value()), PutOption.DEFAULT);
    }
    return Op.delete(bytes(o.key()), DeleteOption.DEFAULT);
  }

  /** Waits for {@code call} at most the timeout; every failure names {@code what} and etcd. */
  private <T> T await(String what, boolean write, Supplier<CompletableFuture<T>> start) {
    CompletableFuture<T> call;
    try {
      call = start.get();
    } catch (RuntimeException e) {
      throw new MetaStoreException(what + " failed" + unknownOutcome(write) + on() + ": " + e, e);
    }
    try {
      return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new MetaStoreException(
          what + " timed out after " + timeout.toMillis() + " ms" + unknownOutcome(write) + on(),
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new MetaStoreException(
          what + " failed" + unknownOutcome(write) + on() + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw new MetaStoreException(what + " interrupted" + unknownOutcome(write) + on(), e);
    }
  }

  private static String unknownOutcome(boolean write) {
    return write ? " (outcome unknown: re-read before retrying)" : "";
  }

  private String on() {
    return " on etcd " + endpoints;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new MetaStoreException("etcd meta store" + on() + " is closed");
    }
  }

  private static ByteSequence bytes(String key) {
    return ByteSequence.from(key, UTF_8);
  }

  /** Gives every RPC of this client a deadline, unless the call already has one. */
  private static final class DeadlineInterceptor implements ClientInterceptor {
    private final long nanos;

    DeadlineInterceptor(Duration timeout) {
      this.nanos = timeout.toNanos();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      CallOptions bounded =
          options.getDeadline() == null
              ? options.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS)
              : options;
      return next.newCall(method, bounded);
    }
  }
}
