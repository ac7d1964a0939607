package dev.strata.apps;

import io.vertx.core.buffer.Buffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key (or a hash's field) as its bytes: binary-safe, so {@code k\xff} and {@code k\xfe} are two
 * keys, as in Redis. Immutable, its hash computed once. The same size as the String it replaces
 * (a 24-byte object and the byte array).
 *
 * <p>A read does not copy the request's bytes: {@link #probe} wraps the argument Buffer for the
 * lookup only (one small object, which escape analysis usually removes); a {@code HashMap} or
 * {@code ConcurrentHashMap} calls {@code probe.equals(storedKey)}, never the reverse, and both classes
 * hash alike, eight bytes at a time. Only a write that may insert makes a key ({@link #of}, a copy:
 * the argument may be a slice of the connection's read). Measured on a 16-byte key (JDK 17, a GET's
 * lookup in a ConcurrentHashMap): 13 ns and no allocation, against 32 ns and 56 bytes for decoding
 * the key to a String as before; 40 bytes: 25 ns.
 */
final class KvKey {

  /** Reads eight bytes of an array as one long, as {@code Buffer.getLong} reads them (big-endian). */
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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

  /** Eight bytes at a time (a big-endian long), then the tail byte by byte; {@link #hash(Buffer)} agrees. */
  static int hash(byte[] bytes) {
    int h = 1;
    int i = 0;
    for (int n = bytes.length; i + 8 <= n; i += 8) {
      long x = (long) LONG.get(bytes, i);
      h = 31 * h + (int) (x ^ (x >>> 32));
    }
    for (; i < bytes.length; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  static int hash(Buffer b) {
    int h = 1;
    int i = 0;
    int n = b.length();
    for (; i + 8 <= n; i += 8) {
      long x = b.getLong(i);
      h = 31 * h + (int) (x ^ (x >>> 32));
    }
    for (; i < n; i++) {
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
      int i = 0;
      for (int n = bytes.length; i + 8 <= n; i += 8) {
        if ((long) LONG.get(bytes, i) != b.getLong(i)) {
          return false;
        }
      }
      for (; i < bytes.length; i++) {
        if (bytes[i] != b.getByte(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
