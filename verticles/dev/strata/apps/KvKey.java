package dev.strata.apps;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key (or a hash's field) as its bytes: binary-safe, so {@code k\xff} and {@code k\xfe} are two
 * keys, as in Redis. Immutable, its hash computed once. The same size as the String it replaces
 * (a 24-byte object and the byte array).
 *
 * <p>A read does not copy the request's bytes: {@link #probe} wraps the argument Buffer for the
 * lookup only (one small object); a {@code HashMap} or {@code ConcurrentHashMap} calls
 * {@code probe.equals(storedKey)}, never the reverse, and both classes hash alike. Only a write that
 * may insert makes a key ({@link #of}, a copy: the argument may be a slice of the connection's read).
 */
final class KvKey {

  final byte[] bytes;
  private final int hash;

  private KvKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = hash(bytes);
  }

  /** A key holding a copy of {@code b}'s bytes. */
  static KvKey of(Buffer b) {
    return new KvKey(b.getBytes());
  }

  static KvKey of(String s) {
    return new KvKey(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A lookup key over {@code b}'s bytes, not a copy: only for get/remove, never to store. */
  static Object probe(Buffer b) {
    return new Probe(b);
  }

  Buffer buffer() {
    return Buffer.buffer(bytes);
  }

  static int hash(byte[] bytes) {
    int h = 1;
    for (byte b : bytes) {
      h = 31 * h + b;
    }
    return h;
  }

  static int hash(Buffer b) {
    int h = 1;
    for (int i = 0, n = b.length(); i < n; i++) {
      h = 31 * h + b.getByte(i);
    }
    return h;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof KvKey k) {
      return hash == k.hash && Arrays.equals(bytes, k.bytes);
    }
    return o instanceof Probe p && p.equals(this);
  }

  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The request's bytes, seen as a key for one lookup. */
  private static final class Probe {
    private final Buffer b;
    private final int hash;

    Probe(Buffer b) {
      this.b = b;
      this.hash = KvKey.hash(b);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof KvKey k) || k.hash != hash || k.bytes.length != b.length()) {
        return false;
      }
      byte[] bytes = k.bytes;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] != b.getByte(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
