package dev.strata.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Applies overrides from the environment ({@code STRATA_LISTENERS_ECHO_PORT=7075}) and system
 * properties ({@code -Dstrata.listeners.echo.port=7075}) to the raw configuration, before binding.
 *
 * <p>After the prefix, the words name a path: object keys match case-insensitively with separators
 * ignored ({@code MAXFRAMEBYTES} = {@code maxFrameBytes}); list elements match by their {@code name}
 * ({@code KV_LINES} = {@code kv-lines}) or by index. Values are read as YAML scalars: numbers,
 * true/false, else strings. An override that names no key is an error naming the variable.
 */
final class Overrides {

  private Overrides() {
  }

  static void apply(JsonObject root, Map<String, String> vars, String prefix, String separator, String source) {
    for (Map.Entry<String, String> e : vars.entrySet()) {
      String k = e.getKey();
      if (!k.regionMatches(true, 0, prefix, 0, prefix.length()) || k.length() == prefix.length()) {
        continue;
      }
      List<String> words = Arrays.asList(k.substring(prefix.length()).split(java.util.regex.Pattern.quote(separator)));
      if (!set(root, StrataConfig.class, words, scalar(e.getValue()))) {
        throw new ConfigException(source + " " + k, "matches no configuration key");
      }
    }
  }

  private static boolean set(JsonObject obj, Class<?> type, List<String> words, Object value) {
    for (int n = words.size(); n >= 1; n--) {
      String want = norm(String.join("", words.subList(0, n)));
      for (String key : candidates(obj, type)) {
        if (!norm(key).equals(want)) {
          continue;
        }
        List<String> rest = words.subList(n, words.size());
        if (rest.isEmpty()) {
          obj.put(key, value);
          return true;
        }
        Object child = obj.getValue(key);
        Class<?> childType = componentType(type, key);
        if (child instanceof JsonObject o && set(o, childType, rest, value)) {
          return true;
        }
        if (child instanceof JsonArray a && setInList(a, childType, rest, value)) {
          return true;
        }
        if (child == null && childType != null && childType.isRecord()) {
          JsonObject fresh = new JsonObject();
          if (set(fresh, childType, rest, value)) {
            obj.put(key, fresh);
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean setInList(JsonArray list, Class<?> type, List<String> words, Object value) {
    for (int n = words.size() - 1; n >= 1; n--) {
      String want = norm(String.join("", words.subList(0, n)));
      for (int i = 0; i < list.size(); i++) {
        if (list.getValue(i) instanceof JsonObject o
            && (want.equals(Integer.toString(i)) || want.equals(norm(String.valueOf(o.getValue("name")))))
            && set(o, type, words.subList(n, words.size()), value)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Set<String> candidates(JsonObject obj, Class<?> type) {
    Set<String> keys = new LinkedHashSet<>(obj.fieldNames());
    if (type != null && type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        keys.add(c.getName());
      }
    }
    return keys;
  }

  /** The record type of a component, or of the elements of a List component. */
  private static Class<?> componentType(Class<?> type, String key) {
    if (type == null || !type.isRecord()) {
      return null;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getName().equals(key)) {
        Type g = c.getGenericType();
        if (g instanceof ParameterizedType p && p.getRawType() == List.class
            && p.getActualTypeArguments()[0] instanceof Class<?> el) {
          return el;
        }
        return c.getType();
      }
    }
    return null;
  }

  private static String norm(String s) {
    return s.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
  }

  static Object scalar(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    if (v.matches("-?\\d{1,18}")) {
      long l = Long.parseLong(v);
      return l == (int) l ? (Object) (int) l : (Object) l;
    }
    return v;
  }
}
