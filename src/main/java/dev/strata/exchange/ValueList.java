package dev.strata.exchange;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * An ordered list of values that keeps its element types on every path, across the cluster too:
 * {@code Buffer}, {@code String}, {@code Long}, {@code Integer}, {@code Boolean}, {@code Double},
 * null, JSON, and nested lists (which arrive as ValueLists). A RESP command arrives as a ValueList of
 * {@code Buffer}s, and an application replies with one where an answer holds several values (MGET,
 * KEYS); RESP writes it as an array, lines as the values separated by spaces.
 *
 * <p>It has an event-bus codec of its own ({@value ValueListCodec#NAME}), registered for this type
 * only: a {@code JsonArray} would turn a {@code Buffer} into base64 text on the wire, and a codec
 * for every {@code ArrayList} of the process would change other code's messages.
 *
 * <p>Three kinds besides the plain list, each kept across the cluster:
 * <ul>
 *   <li>{@link #pairs}: names and values in turn (name, value, name, value…): a protocol with a map
 *       type writes it as a map (RESP3 after {@code HELLO 3}: {@code %}), others as the flat list
 *       (RESP2, lines). Redis's HGETALL and CONFIG GET answer so.
 *   <li>{@link #replies}: each element is a whole reply, written as it would be written alone (an
 *       {@link ErrorValue} as an error, pairs as a map, a status String as a status), as Redis writes the
 *       array of EXEC. A plain list is written as it is and never walked, so that MGET or LRANGE cost
 *       nothing extra.
 *   <li>{@link #nullList}: the absent list, Redis's null array ({@code *-1}, EXEC aborted by WATCH);
 *       lines write it as {@code (nil)}. Immutable.
 * </ul>
 *
 * <pre>{@code
 * msg.reply(ValueList.of(Buffer.buffer("v1"), null, 42L));
 * msg.reply(ValueList.pairs(2).with(Buffer.buffer("field"), Buffer.buffer("value")));
 * msg.reply(ValueList.replies(2).with("OK").with(new ErrorValue("ERR value is not an integer or out of range")));
 * }</pre>
 */
public final class ValueList extends AbstractList<Object> implements RandomAccess {

  /** What a list stands for; the codec carries it as a byte (its ordinal). */
  enum Kind { PLAIN, PAIRS, REPLIES, NULL }

  private static final ValueList NULL = new ValueList(List.of(), Kind.NULL);

  private final List<Object> items;
  private final Kind kind;

  public ValueList() {
    this(new ArrayList<>(), Kind.PLAIN);
  }

  public ValueList(int capacity) {
    this(new ArrayList<>(capacity), Kind.PLAIN);
  }

  private ValueList(List<Object> items, Kind kind) {
    this.items = items;
    this.kind = kind;
  }

  private ValueList(List<Object> items) {
    this(items, Kind.PLAIN);
  }

  /** An empty list of name/value pairs, room for {@code pairs} of them: a map where the protocol has one. */
  public static ValueList pairs(int pairs) {
    return new ValueList(new ArrayList<>(pairs * 2), Kind.PAIRS);
  }

  /** An empty list of whole replies, room for {@code n}: Redis's EXEC answer (see the class doc). */
  public static ValueList replies(int n) {
    return new ValueList(new ArrayList<>(n), Kind.REPLIES);
  }

  /** The absent list: RESP's null array {@code *-1}. Immutable. */
  public static ValueList nullList() {
    return NULL;
  }

  /** An empty list of {@code kind}, room for {@code n} elements (for the codec). */
  static ValueList empty(Kind kind, int n) {
    return kind == Kind.NULL ? NULL : new ValueList(new ArrayList<>(n), kind);
  }

  Kind kind() {
    return kind;
  }

  /** Whether this list holds name/value pairs ({@link #pairs}). */
  public boolean isPairs() {
    return kind == Kind.PAIRS;
  }

  /** Whether each element is a whole reply ({@link #replies}). */
  public boolean isReplies() {
    return kind == Kind.REPLIES;
  }

  /** Whether this is the absent list ({@link #nullList}). */
  public boolean isNullList() {
    return kind == Kind.NULL;
  }

  /** Adds a value; returns this list. */
  public ValueList with(Object value) {
    items.add(value);
    return this;
  }

  /** Adds a name and its value; returns this list. */
  public ValueList with(Object name, Object value) {
    items.add(name);
    items.add(value);
    return this;
  }

  public static ValueList of(Object... values) {
    return new ValueList(new ArrayList<>(Arrays.asList(values)));
  }

  /** A new list holding {@code values}. */
  public static ValueList copyOf(Collection<?> values) {
    return new ValueList(new ArrayList<>(values));
  }

  /** A view of {@code items}, not a copy: for a list that nothing else holds. */
  static ValueList wrap(List<Object> items) {
    return new ValueList(items);
  }

  /** Element {@code i} as bytes: a Buffer as it is, a String as its UTF-8 bytes, a number as its text. */
  public Buffer buffer(int i) {
    Object v = items.get(i);
    if (v instanceof Buffer b) {
      return b;
    }
    return v == null ? null : Buffer.buffer(v instanceof byte[] bytes ? bytes : String.valueOf(v).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Object get(int index) {
    return items.get(index);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public Object set(int index, Object element) {
    return items.set(index, element);
  }

  @Override
  public void add(int index, Object element) {
    items.add(index, element);
  }

  @Override
  public Object remove(int index) {
    return items.remove(index);
  }
}
