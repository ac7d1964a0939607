package dev.strata.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A blocking RESP2/RESP3 client over a raw socket, for end-to-end tests that must see the exact frame
 * types (a push {@code >} versus a reply) and every byte of a bulk string.
 *
 * <pre>
 *   wire       read() returns
 *   +OK        "OK" (String)
 *   -ERR x     Error("ERR x")
 *   :42 (42    Long 42
 *   $n ... =n  byte[]           $-1 *-1 _  null
 *   *n ~n      List             %n         Map (keys as read)
 *   >n         Push(List)       #t ,1.5    Boolean, Double
 * </pre>
 */
public final class RespClient implements AutoCloseable {

  /** An error reply. */
  public record Error(String text) {
  }

  /** A RESP3 push frame. */
  public record Push(List<Object> items) {
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RespClient(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
  }

  /** A command as clients send it: an array of bulk strings. */
  public static byte[] command(Object... args) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (Object a : args) {
      byte[] bytes = a instanceof byte[] raw ? raw : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(bytes);
      b.writeBytes(new byte[] {'\r', '\n'});
    }
    return b.toByteArray();
  }

  public RespClient send(Object... args) throws IOException {
    return write(command(args));
  }

  public RespClient write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Sends a command and reads one value. */
  public Object call(Object... args) throws IOException {
    send(args);
    return read();
  }

  /** The next value. */
  public Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("end of stream");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new Error(line);
      case ':':
      case '(':
        return Long.parseLong(line);
      case '#':
        return line.equals("t");
      case ',':
        return Double.parseDouble(line);
      case '_':
        return null;
      case '$':
      case '=': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n || in.read() != '\r' || in.read() != '\n') {
          throw new IOException("bad bulk string");
        }
        return bytes;
      }
      case '*':
      case '~':
      case '>': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(read());
        }
        return type == '>' ? new Push(items) : items;
      }
      case '%': {
        int n = Integer.parseInt(line);
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          Object k = read();
          map.put(k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : k, read());
        }
        return map;
      }
      default:
        throw new IOException("unknown RESP type '" + (char) type + "' followed by " + line);
    }
  }

  /**
   * The next value exactly as it came on the wire, nested values included ({@code "*1\r\n+OK\r\n"}):
   * for tests that tell {@code *-1} from {@code $-1}, or {@code +OK} from {@code $2 OK}.
   */
  public String readWire() throws IOException {
    StringBuilder wire = new StringBuilder();
    readWire(wire);
    return wire.toString();
  }

  private void readWire(StringBuilder wire) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("end of stream");
    }
    String line = line();
    wire.append((char) type).append(line).append("\r\n");
    switch (type) {
      case '$', '=', '!' -> {
        int n = Integer.parseInt(line);
        if (n >= 0) {
          wire.append(new String(readBytes(n + 2), StandardCharsets.ISO_8859_1));
        }
      }
      case '*', '~', '>', '%' -> {
        int n = Integer.parseInt(line) * (type == '%' ? 2 : 1);
        for (int i = 0; i < n; i++) {
          readWire(wire);
        }
      }
      default -> {
      }
    }
  }

  /** Exactly {@code n} bytes, as they come (for pipelines that check replies byte by byte). */
  public byte[] readBytes(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new IOException("end of stream after " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("end of stream in a header line");
      }
      b.write(c);
    }
    if (in.read() != '\n') {
      throw new IOException("CR without LF");
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /** A bulk string value as text (for assertions). */
  public static String text(Object value) {
    return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
