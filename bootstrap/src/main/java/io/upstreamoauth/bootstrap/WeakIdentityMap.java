package io.upstreamoauth.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * A small map from objects, compared by identity and held weakly, to values. {@code
 * java.net.http}'s requests and headers define value equality, so two different requests with
 * the same method, URI and headers are "equal": state the agent keeps about one request object
 * must not be found for another. Entries go when their key is collected. Thread-safe.
 */
public final class WeakIdentityMap<K, V> {

  private final Map<Key, V> entries = new HashMap<Key, V>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<Object>();

  /** Returns the value for exactly this object, or null. */
  public synchronized V get(K key) {
    expunge();
    return key == null ? null : entries.get(new Key(key, null));
  }

  /** Maps exactly this object to value. */
  public synchronized void put(K key, V value) {
    expunge();
    entries.put(new Key(key, collected), value);
  }

  /** Returns the number of entries whose keys have not been seen collected yet. */
  public synchronized int size() {
    expunge();
    return entries.size();
  }

  private void expunge() {
    Object gone;
    while ((gone = collected.poll()) != null) {
      entries.remove(gone);
    }
  }

  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true; // also how a collected key finds its own entry to remove
      }
      if (!(other instanceof Key)) {
        return false;
      }
      Object referent = get();
      return referent != null && referent == ((Key) other).get();
    }
  }
}
