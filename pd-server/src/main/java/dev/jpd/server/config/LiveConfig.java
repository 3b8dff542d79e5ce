package dev.jpd.server.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The configuration in force, replaced whole when an operator changes it at run time. Readers
 * call {@link #current()} each time they need a value (never cache a section), so a change
 * applies on their next decision; components that must react at once register a listener.
 */
public final class LiveConfig {
  private volatile PdConfig current;
  private final List<Consumer<PdConfig>> listeners = new CopyOnWriteArrayList<>();

  public LiveConfig(PdConfig initial) {
    this.current = initial;
  }

  public PdConfig current() {
    return current;
  }

  /** Replaces the config and tells the listeners; callers validate and persist first. */
  public synchronized void set(PdConfig next) {
    current = next;
    for (Consumer<PdConfig> l : listeners) {
      l.accept(next);
    }
  }

  public void addListener(Consumer<PdConfig> listener) {
    listeners.add(listener);
  }
}
