package dev.jpd.checker;

import dev.jpd.core.testing.TestClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduled executor driven by hand on a {@link TestClock}: nothing runs until {@link
 * #runFor(Duration)} moves the clock and runs what became due, in time order, on the calling
 * thread. One-shot schedules only (what the patrol uses).
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private final TestClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long seq;
  private boolean shutdown;

  public ManualScheduler(TestClock clock) {
    this.clock = clock;
  }

  /** Advances the clock by {@code d} in steps to each due task, running them; returns how many. */
  public int runFor(Duration d) {
    long end = clock.millis() + d.toMillis();
    int ran = 0;
    while (true) {
      Task<?> t = queue.peek();
      if (t == null || t.atMillis > end) {
        break;
      }
      queue.poll();
      if (t.atMillis > clock.millis()) {
        clock.advance(Duration.ofMillis(t.atMillis - clock.millis()));
      }
      if (!t.isCancelled()) {
        t.run();
        ran++;
      }
    }
    if (end > clock.millis()) {
      clock.advance(Duration.ofMillis(end - clock.millis()));
    }
    return ran;
  }

  public int pending() {
    int n = 0;
    for (Task<?> t : queue) {
      n += t.isCancelled() ? 0 : 1;
    }
    return n;
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long atMillis;
    final long order = seq++;

    Task(Callable<V> c, long atMillis) {
      super(c);
      this.atMillis = atMillis;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(atMillis - clock.millis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> t = (Task<?>) o;
      int c = Long.compare(atMillis, t.atMillis);
      return c != 0 ? c : Long.compare(order, t.order);
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      return super.get();
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return schedule(() -> {
      command.run();
      return null;
    }, delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    long at = clock.millis() + Math.max(1, unit.toMillis(delay));
    Task<V> t = new Task<>(callable, at);
    queue.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable r, long i, long p, TimeUnit u) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable r, long i, long d, TimeUnit u) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    queue.clear();
    return new ArrayList<>();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.MILLISECONDS);
  }
}
