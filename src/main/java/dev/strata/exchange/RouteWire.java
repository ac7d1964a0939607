package dev.strata.exchange;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.eventbus.impl.CodecManager;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bytes of a member route ({@link MemberRoutes}): the requests of one socket read as one
 * event-bus message to the member that serves their address, and the outcomes coming back, many to a
 * message. Each body is written with its own event-bus codec (String, Buffer, JsonObject,
 * {@link ValueListCodec}...), so it arrives as the same Java type as over the plain event bus.
 *
 * <pre>
 *   message  := origin:str count:i32 batch*          (the reads of one event-loop turn for one member;
 *                                                     made as a {@link RouteLink} frame, length:i32 kind:i8
 *                                                     before it, which the event bus path skips)
 *   batch    := id:i64 address:str timeoutMs:i64 conn:i64 listener:str remote:str count:i32 request*
 *   request  := seq:i64 tag:str? body
 *   outcomes := count:i32 outcome*
 *   outcome  := batch:i64 index:i32 0 headers body          (a reply)
 *             | batch:i64 index:i32 1 type:i8 code:i32 str  (a failure: ReplyFailure ordinal, code, text)
 *   headers  := n:i32 (key:str value:str){n}
 *   body     := codec:i8 (name:str if codec = -1) length:i32 bytes   (codec: Vert.x's system codec id)
 *   str      := length:i32 utf8      (length -1: null)
 * </pre>
 */
final class RouteWire {

  private static final byte REPLY = 0;
  private static final byte FAILURE = 1;
  private static final ReplyFailure[] FAILURES = ReplyFailure.values();

  private final CodecManager codecs;

  RouteWire(CodecManager codecs) {
    this.codecs = codecs;
  }

  // ---- requests ----

  /**
   * The head of a message of batches, as a {@link RouteLink} frame (its 5 bytes of frame head are
   * skipped over the event bus); {@link #batch} appends each, {@link #count} says how many.
   */
  static Buffer messageHead(String origin) {
    Buffer b = Buffer.buffer(1024);
    b.appendInt(0).appendByte(RouteLink.BATCHES);
    str(b, origin);
    b.appendInt(0);
    return b;
  }

  /** Sets the number of batches of a message made by {@link #messageHead}, and its frame's length. */
  static void count(Buffer message, String origin, int batches) {
    message.setInt(0, message.length() - 4);
    message.setInt(5 + 4 + origin.getBytes(StandardCharsets.UTF_8).length, batches);
  }

  /**
   * One batch: the requests of one read of one connection, made apart so that a body the event bus
   * cannot carry fails this batch only.
   *
   * @throws IllegalArgumentException when the event bus has no codec for a body
   */
  Buffer batch(long batch, String address, long timeoutMs, long conn, String listener, String remote,
      java.util.List<InboundRequest> requests) {
    Buffer b = Buffer.buffer(128);
    b.appendLong(batch);
    str(b, address);
    b.appendLong(timeoutMs).appendLong(conn);
    str(b, listener);
    str(b, remote);
    b.appendInt(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      InboundRequest r = requests.get(i);
      b.appendLong(r.seq);
      str(b, r.tag == null ? null : String.valueOf(r.tag));
      body(b, r.body, null);
    }
    return b;
  }

  /** A batch of requests, read back on the member that serves them. */
  static final class Requests {
    final String origin;
    final long batch;
    final String address;
    final long timeoutMs;
    final long conn;
    final String listener;
    final String remote;
    final long[] seqs;
    final String[] tags;
    final Object[] bodies;

    private Requests(String origin, long batch, String address, long timeoutMs, long conn, String listener,
        String remote, int n) {
      this.origin = origin;
      this.batch = batch;
      this.address = address;
      this.timeoutMs = timeoutMs;
      this.conn = conn;
      this.listener = listener;
      this.remote = remote;
      this.seqs = new long[n];
      this.tags = new String[n];
      this.bodies = new Object[n];
    }
  }

  /** The batches of a message. */
  java.util.List<Requests> readMessage(Buffer b) {
    int[] pos = {0};
    String origin = str(b, pos);
    int batches = b.getInt(pos[0]);
    pos[0] += 4;
    java.util.List<Requests> out = new java.util.ArrayList<>(batches);
    for (int k = 0; k < batches; k++) {
      long batch = b.getLong(pos[0]);
      pos[0] += 8;
      String address = str(b, pos);
      long timeoutMs = b.getLong(pos[0]);
      long conn = b.getLong(pos[0] + 8);
      pos[0] += 16;
      String listener = str(b, pos);
      String remote = str(b, pos);
      int n = b.getInt(pos[0]);
      pos[0] += 4;
      Requests r = new Requests(origin, batch, address, timeoutMs, conn, listener, remote, n);
      for (int i = 0; i < n; i++) {
        r.seqs[i] = b.getLong(pos[0]);
        pos[0] += 8;
        r.tags[i] = str(b, pos);
        r.bodies[i] = body(b, pos);
      }
      out.add(r);
    }
    return out;
  }

  // ---- outcomes ----

  /**
   * One reply as an outcome, or the failure the event bus would give when its body cannot cross (no
   * codec, or the codec failed).
   */
  Buffer reply(long batch, int index, Object body, MultiMap headers, String codecName) {
    Buffer b = Buffer.buffer(64);
    try {
      b.appendLong(batch).appendInt(index).appendByte(REPLY);
      if (headers == null || headers.isEmpty()) {
        b.appendInt(0);
      } else {
        b.appendInt(headers.size());
        for (Map.Entry<String, String> h : headers) {
          str(b, h.getKey());
          str(b, h.getValue());
        }
      }
      body(b, body, codecName);
      return b;
    } catch (RuntimeException e) {
      return failure(batch, index, ErrorTexts.notSendable(e.getMessage()));
    }
  }

  /** One failure as an outcome. */
  static Buffer failure(long batch, int index, Throwable t) {
    Buffer b = Buffer.buffer(64);
    b.appendLong(batch).appendInt(index).appendByte(FAILURE);
    if (t instanceof ReplyException re) {
      b.appendByte((byte) re.failureType().ordinal()).appendInt(re.failureCode());
      str(b, re.getMessage());
    } else {
      b.appendByte((byte) ReplyFailure.ERROR.ordinal()).appendInt(-1);
      str(b, String.valueOf(t.getMessage()));
    }
    return b;
  }

  /** A message of outcomes; {@code framed}: as a {@link RouteLink} frame. */
  static Buffer outcomes(java.util.List<Buffer> items, boolean framed) {
    int size = 4;
    for (Buffer i : items) {
      size += i.length();
    }
    Buffer b = Buffer.buffer(framed ? size + 5 : size);
    if (framed) {
      b.appendInt(size + 1).appendByte(RouteLink.OUTCOMES);
    }
    b.appendInt(items.size());
    for (Buffer i : items) {
      b.appendBuffer(i);
    }
    return b;
  }

  /** Receives each outcome of a message of outcomes. */
  interface OutcomeSink {
    void outcome(long batch, int index, Object outcome, MultiMap headers);
  }

  void readOutcomes(Buffer b, OutcomeSink sink) {
    int[] pos = {0};
    int n = b.getInt(0);
    pos[0] = 4;
    for (int i = 0; i < n; i++) {
      long batch = b.getLong(pos[0]);
      int index = b.getInt(pos[0] + 8);
      byte kind = b.getByte(pos[0] + 12);
      pos[0] += 13;
      if (kind == REPLY) {
        int h = b.getInt(pos[0]);
        pos[0] += 4;
        MultiMap headers = null;
        if (h > 0) {
          headers = MultiMap.caseInsensitiveMultiMap();
          for (int k = 0; k < h; k++) {
            headers.add(str(b, pos), str(b, pos));
          }
        }
        sink.outcome(batch, index, body(b, pos), headers);
      } else {
        ReplyFailure type = FAILURES[b.getByte(pos[0])];
        int code = b.getInt(pos[0] + 1);
        pos[0] += 5;
        sink.outcome(batch, index, new ReplyException(type, code, str(b, pos)), null);
      }
    }
  }

  // ---- bodies and strings ----

  private void body(Buffer b, Object body, String codecName) {
    @SuppressWarnings("unchecked")
    MessageCodec<Object, Object> codec = codecs.lookupCodec(body, codecName, false);
    byte id = codec.systemCodecID();
    b.appendByte(id);
    if (id < 0) {
      str(b, codec.name());
    }
    int at = b.length();
    b.appendInt(0);
    codec.encodeToWire(b, body);
    b.setInt(at, b.length() - at - 4);
  }

  private Object body(Buffer b, int[] pos) {
    byte id = b.getByte(pos[0]);
    pos[0]++;
    MessageCodec<?, ?> codec;
    if (id < 0) {
      String name = str(b, pos);
      codec = codecs.getCodec(name);
      if (codec == null) {
        throw new IllegalStateException("no codec " + name + " on this member");
      }
    } else {
      codec = codecs.systemCodecs()[id];
    }
    int length = b.getInt(pos[0]);
    pos[0] += 4;
    Object body = codec.decodeFromWire(0, b.slice(pos[0], pos[0] + length));
    pos[0] += length;
    return body;
  }

  private static void str(Buffer b, String s) {
    if (s == null) {
      b.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String str(Buffer b, int[] pos) {
    int n = b.getInt(pos[0]);
    pos[0] += 4;
    if (n < 0) {
      return null;
    }
    String s = b.getString(pos[0], pos[0] + n, "UTF-8");
    pos[0] += n;
    return s;
  }
}
