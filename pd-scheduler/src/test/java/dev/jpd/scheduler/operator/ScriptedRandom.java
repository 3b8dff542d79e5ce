package dev.jpd.scheduler.operator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** Answers {@code nextInt(bound)} from a script (0 when it runs out): the waiting-queue pick. */
final class ScriptedRandom implements RandomGenerator {
  private final Deque<Integer> script = new ArrayDeque<>();

  ScriptedRandom then(int... values) {
    for (int v : values) {
      script.addLast(v);
    }
    return this;
  }

  @Override
  public int nextInt(int bound) {
    Integer v = script.pollFirst();
    int r = v == null ? 0 : v;
    if (r < 0 || r >= bound) {
      throw new IllegalStateException("scripted " + r + " out of bound " + bound);
    }
    return r;
  }

  @Override
  public long nextLong() {
    throw new UnsupportedOperationException("only nextInt(bound) is scripted");
  }
}
