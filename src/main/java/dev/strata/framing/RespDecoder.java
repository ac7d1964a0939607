package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * Decoder of {@link RespCodec}: an incremental state machine over the chunk's array (no per-byte
 * virtual call). Header lines are parsed in place, integers inline; bulk strings are sliced from the
 * chunk when whole and, when cut by its end, copied (up to {@value #REFERENCE_ABOVE} bytes) or assembled
 * from the chunks themselves by reference (larger ones: no copy, and no buffer of the bulk's size that
 * a hostile header could make the node allocate before the bytes come); arrays
 * being filled wait on a small explicit stack, so a command split anywhere is never parsed twice.
 *
 * <p>Limits, all from {@code maxFrameBytes}: a top-level frame's bytes, a bulk string's length, an
 * array's element count (at most a third of the bytes left, since an element takes 3 bytes or more:
 * {@code *2147483647} allocates nothing), a line's length; nesting is at most 32 deep.
 */
final class RespDecoder implements Decoder<Object> {

  private static final int MAX_DEPTH = 32;
  private static final int MAX_NUMBER_LINE = 24;
  /** Bulk strings cut by a chunk's end and longer than this are referenced, not copied. */
  static final int REFERENCE_ABOVE = 64 * 1024;

  private final int max;
  private final int maxBulk;
  private final int maxLine;
  private final boolean inline;

  private JsonArray[] arrays = new JsonArray[4];
  private int[] remaining = new int[4];
  private int depth;
  /** Bytes of the current top-level frame seen (headers) or announced (bulk bodies). */
  private long frameBytes;

  /** A line cut by a chunk's end. */
  private byte[] line;
  private int lineLen;
  private boolean lineOpen;

  /** After a bulk header line: the body length to read next, else -1. */
  private int bulkLen = -1;
  private byte bulkKind;
  private ByteBuf bulk;
  /** A large bulk string being assembled from the chunks that carry it (when {@link #inLarge}). */
  private FrameAssembler large;
  private boolean inLarge;
  private int bulkSize;
  private Object bulkValue;
  private int crlfLeft;

  /** Resync state: bytes of a refused bulk string to skip, or an inline line to skip to its LF. */
  private long skip;
  private boolean discardLine;
  /** Where decoding resumes after a resyncable error (an index into the chunk's array). */
  private int resume;
  private boolean stopped;

  RespDecoder(int max, int maxBulk, boolean inline) {
    this.max = max;
    this.maxBulk = maxBulk;
    this.maxLine = Math.min(max, RespCodec.MAX_LINE_BYTES);
    this.inline = inline;
  }

  @Override
  public void decode(Buffer chunk, FrameSink<Object> sink) {
    if (stopped) {
      return;
    }
    ByteBuf in = Chunks.bytes(chunk);
    if (!in.hasArray()) {
      ByteBuf heap = Chunks.partial(in.readableBytes());
      in = heap.writeBytes(in, in.readerIndex(), in.readableBytes());
    }
    int p = in.arrayOffset() + in.readerIndex();
    while (true) {
      try {
        run(in, p, sink);
        return;
      } catch (FramingException e) {
        resetFrame();
        if (!Chunks.resync(sink, e)) {
          stopped = true;
          line = null;
          return;
        }
        p = resume;
      }
    }
  }

  private void run(ByteBuf in, int p, FrameSink<Object> sink) {
    byte[] a = in.array();
    int base = in.arrayOffset();
    int end = base + in.writerIndex();
    while (p < end) {
      if (skip > 0) {
        int n = (int) Math.min(skip, end - p);
        p += n;
        skip -= n;
      } else if (discardLine) {
        int lf = indexOfLf(a, p, end);
        if (lf < 0) {
          return;
        }
        discardLine = false;
        p = lf + 1;
      } else if (inLarge) {
        int n = Math.min(bulkSize - large.size(), end - p);
        large.add(in, p - base, n, null);
        p += n;
        if (large.size() == bulkSize) {
          inLarge = false;
          Buffer b = large.take(bulkSize);
          bulkValue = bulkKind == '!' ? new RespError(b.toString(StandardCharsets.UTF_8)) : b;
          crlfLeft = 2;
        }
      } else if (bulk != null) {
        int n = Math.min(bulkSize - bulk.writerIndex(), end - p);
        bulk.writeBytes(a, p, n);
        p += n;
        if (bulk.writerIndex() == bulkSize) {
          bulkValue = bulkKind == '!' ? new RespError(bulk.toString(StandardCharsets.UTF_8)) : Chunks.frame(bulk);
          bulk = null;
          crlfLeft = 2;
        }
      } else if (crlfLeft > 0) {
        if (a[p++] != (crlfLeft == 2 ? '\r' : '\n')) {
          throw new CorruptFrameException("bulk string not followed by CRLF");
        }
        if (--crlfLeft == 0) {
          Object v = bulkValue;
          bulkValue = null;
          complete(v, sink);
        }
      } else {
        int lf = indexOfLf(a, p, end);
        if (lf < 0) {
          appendLine(a, p, end);
          return;
        }
        resume = lf + 1;
        if (lineOpen) {
          appendLine(a, p, lf + 1);
          int lineEnd = lineLen - 1;
          lineOpen = false;
          lineLen = 0;
          byte[] whole = line;
          if (whole.length > 4096) {
            line = null; // a long inline command came once: do not keep its buffer for the connection's life
          }
          line(whole, 0, lineEnd, sink);
        } else {
          line(a, p, lf, sink);
        }
        p = lf + 1;
        if (bulkLen >= 0) {
          p = body(in, a, base, p, end, sink);
        }
      }
    }
  }

  /** A bulk body of {@link #bulkLen} bytes starting at {@code p}: sliced when whole, else copied. */
  private int body(ByteBuf in, byte[] a, int base, int p, int end, FrameSink<Object> sink) {
    int n = bulkLen;
    bulkLen = -1;
    if (end - p >= n + 2) {
      if (a[p + n] != '\r' || a[p + n + 1] != '\n') {
        throw new CorruptFrameException("bulk string not followed by CRLF");
      }
      Object v;
      if (bulkKind == '!') {
        v = new RespError(new String(a, p, n, StandardCharsets.UTF_8));
      } else {
        v = n == 0 ? Chunks.empty() : Chunks.frame(in.slice(p - base, n));
      }
      complete(v, sink);
      return p + n + 2;
    }
    if (n == 0) {
      bulkValue = Chunks.empty();
      crlfLeft = 2;
      return p;
    }
    bulkSize = n;
    int k = Math.min(n, end - p);
    if (n > REFERENCE_ABOVE) {
      if (large == null) {
        large = new FrameAssembler(max);
      }
      inLarge = true;
      large.add(in, p - base, k, null);
      return p + k; // k < n: the bulk is cut by this chunk's end
    }
    bulk = Chunks.partial(n);
    bulk.writeBytes(a, p, k);
    if (k == n) {
      bulkValue = bulkKind == '!' ? new RespError(bulk.toString(StandardCharsets.UTF_8)) : Chunks.frame(bulk);
      bulk = null;
      crlfLeft = 2;
    }
    return p + k;
  }

  /** Keeps the bytes of a line cut by a chunk's end, refusing a line longer than it may be. */
  private void appendLine(byte[] a, int from, int to) {
    int n = to - from;
    if (!lineOpen) {
      lineOpen = true;
      lineLen = 0;
    }
    int total = lineLen + n;
    byte first = lineLen > 0 ? line[0] : a[from];
    boolean lfSeen = a[to - 1] == '\n';
    checkLineLength(first, total - (lfSeen ? 1 : 0), to, lfSeen);
    if (line == null || line.length < total) {
      byte[] grown = new byte[Math.min(Math.max(64, total * 2), maxLine + MAX_NUMBER_LINE)];
      if (lineLen > 0) {
        System.arraycopy(line, 0, grown, 0, lineLen);
      }
      line = grown;
    }
    System.arraycopy(a, from, line, lineLen, n);
    lineLen = total;
  }

  /** Refuses a line of {@code len} bytes (its LF excluded) that no frame may have. */
  private void checkLineLength(byte type, int len, int resumeAt, boolean lfSeen) {
    if (isNumeric(type) || depth > 0 && !isText(type)) {
      if (len > MAX_NUMBER_LINE) {
        throw new CorruptFrameException("header line of more than " + MAX_NUMBER_LINE + " bytes");
      }
    } else if (len > maxLine + 1) {
      String what = isText(type) ? "simple string or error line" : "inline command";
      FrameTooLongException e = new FrameTooLongException(what + " longer than " + maxLine + " bytes"
          + (maxLine < max ? " (RESP lines are at most " + RespCodec.MAX_LINE_BYTES + ")" : " (maxFrameBytes)"), !isText(type));
      if (isText(type)) {
        throw e;
      }
      lineOpen = false;
      lineLen = 0;
      discardLine = !lfSeen;
      resume = resumeAt;
      throw e;
    }
  }

  private static boolean isNumeric(byte t) {
    return t == '$' || t == '*' || t == ':' || t == '=' || t == '!' || t == '~' || t == '>' || t == '_' || t == '#';
  }

  private static boolean isText(byte t) {
    return t == '+' || t == '-' || t == ',' || t == '(';
  }

  /** A whole line {@code s[from, lf)} followed by its LF. */
  private void line(byte[] s, int from, int lf, FrameSink<Object> sink) {
    byte t = s[from];
    boolean typed = isNumeric(t) || isText(t);
    if (!typed) {
      if (depth > 0 || !inline) {
        throw new CorruptFrameException("unexpected byte 0x" + Integer.toHexString(t & 0xFF) + " where a RESP type was expected");
      }
      RespInline.command(s, from, lf, maxLine, sink);
      return;
    }
    checkLineLength(t, lf - from, lf + 1, true);
    if (lf == from || s[lf - 1] != '\r') {
      throw new CorruptFrameException("line not ended by CRLF");
    }
    int to = lf - 1;
    frameBytes += lf + 1 - from;
    if (frameBytes > max) {
      throw frameTooLong();
    }
    switch (t) {
      case '+' -> complete(new String(s, from + 1, to - from - 1, StandardCharsets.UTF_8), sink);
      case '-' -> complete(new RespError(new String(s, from + 1, to - from - 1, StandardCharsets.UTF_8)), sink);
      case ':' -> complete(number(s, from + 1, to), sink);
      case '$', '=', '!' -> bulkHeader(t, number(s, from + 1, to), sink);
      case '*', '~', '>' -> arrayHeader(t, number(s, from + 1, to), sink);
      case '_' -> {
        if (to != from + 1) {
          throw new CorruptFrameException("RESP3 null with a payload");
        }
        complete(null, sink);
      }
      case '#' -> {
        if (to != from + 2 || s[from + 1] != 't' && s[from + 1] != 'f') {
          throw new CorruptFrameException("RESP3 boolean is not t or f");
        }
        complete(s[from + 1] == 't' ? Boolean.TRUE : Boolean.FALSE, sink);
      }
      case ',' -> complete(RespInline.parseDouble(new String(s, from + 1, to - from - 1, StandardCharsets.US_ASCII)), sink);
      default -> { // '('
        try {
          complete(new BigInteger(new String(s, from + 1, to - from - 1, StandardCharsets.US_ASCII)), sink);
        } catch (NumberFormatException e) {
          throw new CorruptFrameException("RESP3 big number is not an integer");
        }
      }
    }
  }

  private void bulkHeader(byte t, long n, FrameSink<Object> sink) {
    if (n == -1 && t == '$') {
      complete(null, sink);
      return;
    }
    if (n < 0) {
      throw new CorruptFrameException("bulk length " + n);
    }
    if (n > maxBulk) {
      boolean top = depth == 0;
      if (top) {
        skip = n + 2; // a top-level bulk string has a known end: skip it unbuffered
      }
      throw new FrameTooLongException("bulk string of " + n + " bytes > maxBulkBytes " + maxBulk, top);
    }
    if (frameBytes + n + 2 > max) {
      boolean top = depth == 0;
      if (top) {
        skip = n + 2;
      }
      throw new FrameTooLongException("frame of " + (frameBytes + n + 2) + " bytes (with a bulk string of " + n
          + ") > maxFrameBytes " + max, top);
    }
    frameBytes += n + 2;
    bulkKind = t;
    bulkLen = (int) n;
  }

  private void arrayHeader(byte t, long n, FrameSink<Object> sink) {
    if (n == -1 && t == '*') {
      complete(null, sink);
      return;
    }
    if (n < 0) {
      throw new CorruptFrameException("array length " + n);
    }
    if (n == 0) {
      complete(new JsonArray(new ArrayList<>(0)), sink);
      return;
    }
    if (n > (max - frameBytes) / 3) {
      throw new FrameTooLongException("array of " + n + " elements cannot fit in maxFrameBytes " + max, false);
    }
    if (depth == MAX_DEPTH) {
      throw new CorruptFrameException("arrays nested more than " + MAX_DEPTH + " deep");
    }
    if (depth == arrays.length) {
      arrays = java.util.Arrays.copyOf(arrays, depth * 2);
      remaining = java.util.Arrays.copyOf(remaining, depth * 2);
    }
    arrays[depth] = new JsonArray(new ArrayList<>((int) Math.min(n, 64)));
    remaining[depth] = (int) n;
    depth++;
  }

  /** A complete value: added to the open array, or delivered when it is the whole frame. */
  private void complete(Object v, FrameSink<Object> sink) {
    while (depth > 0) {
      int d = depth - 1;
      arrays[d].getList().add(v);
      if (--remaining[d] > 0) {
        return;
      }
      v = arrays[d];
      arrays[d] = null;
      depth = d;
    }
    frameBytes = 0;
    sink.frame(v == null ? Resp.NULL : v);
  }

  private FrameTooLongException frameTooLong() {
    return new FrameTooLongException("frame of more than " + max + " bytes (maxFrameBytes)", false);
  }

  /** A signed decimal in {@code s[from, to)}, parsed in place. */
  private static long number(byte[] s, int from, int to) {
    boolean neg = from < to && s[from] == '-';
    int i = neg ? from + 1 : from;
    if (i == to || to - i > 19) {
      throw new CorruptFrameException("bad integer in header line");
    }
    if (to - i == 19) { // may overflow: rare, take the slow path
      try {
        return Long.parseLong(new String(s, from, to - from, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new CorruptFrameException("bad integer in header line");
      }
    }
    long v = 0;
    for (; i < to; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) {
        throw new CorruptFrameException("bad integer in header line");
      }
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }

  private static int indexOfLf(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void resetFrame() {
    for (int i = 0; i < depth; i++) {
      arrays[i] = null;
    }
    depth = 0;
    frameBytes = 0;
    bulkLen = -1;
    bulk = null;
    if (inLarge) {
      large.clear();
      inLarge = false;
    }
    bulkValue = null;
    crlfLeft = 0;
    lineOpen = false;
    lineLen = 0;
  }

  @Override
  public void finish(FrameSink<Object> sink) {
    if (!stopped && (depth > 0 || lineOpen || bulk != null || inLarge || crlfLeft > 0)) {
      sink.error(new TruncatedFrameException(buffered()));
    }
  }

  @Override
  public int buffered() {
    return lineLen + (bulk == null ? 0 : bulk.readableBytes()) + (inLarge ? large.size() : 0);
  }

  /**
   * The frame's headers and bulk bodies so far, the one being received counted at its buffer's
   * capacity (it grows as bytes come, not at the announced size), plus a line cut by a read's end.
   */
  @Override
  public int held() {
    long h = frameBytes + (lineOpen ? line.length : 0);
    if (bulk != null) {
      h += bulk.capacity() - (bulkSize + 2L);
    } else if (inLarge) {
      h += large.size() - (bulkSize + 2L);
    }
    return (int) Math.min(Integer.MAX_VALUE, h);
  }

  @Override
  public boolean stopped() {
    return stopped;
  }
}
