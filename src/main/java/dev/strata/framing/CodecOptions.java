package dev.strata.framing;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named codec options from configuration, read with typed getters. Each getter names the option in its
 * error; {@link #checkAllUsed()} refuses options the codec does not know.
 */
public final class CodecOptions {

  private final Map<String, Object> values;
  private final Set<String> used = new HashSet<>();

  public CodecOptions(Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  public static CodecOptions empty() {
    return new CodecOptions(Map.of());
  }

  public int intValue(String key, int def) {
    Object v = take(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n && n.longValue() == n.intValue() && !(v instanceof Double || v instanceof Float)) {
      return n.intValue();
    }
    throw new IllegalArgumentException("option " + key + ": expected an integer, got '" + v + "'");
  }

  public boolean boolValue(String key, boolean def) {
    Object v = take(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("option " + key + ": expected true or false, got '" + v + "'");
  }

  public String stringValue(String key, String def) {
    Object v = take(key);
    if (v == null) {
      return def;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("option " + key + ": expected a string, got '" + v + "'");
  }

  /** A list of strings; a single string is a list of one. */
  public List<String> stringList(String key, List<String> def) {
    Object v = take(key);
    if (v == null) {
      return def;
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof io.vertx.core.json.JsonArray a) {
      v = a.getList();
    }
    if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(e -> e instanceof String)) {
      return l.stream().map(String.class::cast).toList();
    }
    throw new IllegalArgumentException("option " + key + ": expected a non-empty list of strings, got '" + v + "'");
  }

  /** The raw value (a list, a map...), or null. */
  public Object value(String key) {
    return take(key);
  }

  private Object take(String key) {
    used.add(key);
    return values.get(key);
  }

  /** Fails on options that no getter asked for: a typo must not be silently ignored. */
  public void checkAllUsed() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(used);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s) " + unknown + "; known: " + new TreeSet<>(used));
    }
  }
}
