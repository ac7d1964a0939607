package dev.strata.support;

import dev.strata.framing.Decoder;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.FrameSink;
import dev.strata.framing.FramingException;
import dev.strata.framing.RespError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** A raw TCP peer that writes encoded frames and decodes replies with the same codec. */
public final class CodecPeer implements AutoCloseable, FrameSink<Object> {
  private final Socket socket = new Socket();
  private final InputStream in;
  private final Decoder<Object> decoder;
  private final List<Object> frames = new ArrayList<>();
  private boolean eof;

  public CodecPeer(int port, FrameCodec<Object> codec) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    decoder = codec.newDecoder();
  }

  public void send(Buffer bytes) throws IOException {
    socket.getOutputStream().write(bytes.getBytes());
    socket.getOutputStream().flush();
  }

  /** Writes unless the server has closed the connection (then the write may fail: that is fine). */
  public void trySend(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException closedByServer) {
      eof = true;
    }
  }

  public boolean isOpen() {
    return !eof;
  }

  /** The next reply frame. */
  public Object next() throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (frames.isEmpty()) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("closed before a reply");
      }
      decoder.decode(Buffer.buffer(java.util.Arrays.copyOf(buf, n)), this);
    }
    return frames.remove(0);
  }

  public boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** The protocol's error frame: {@code -ERR ...} bytes or line, a RESP error, {@code {"error": ...}}. */
  public static boolean isError(Object frame) {
    if (frame instanceof RespError) {
      return true;
    }
    if (frame instanceof JsonObject o) {
      return o.containsKey("error");
    }
    return frame instanceof Buffer b && b.length() > 0 && b.getByte(0) == '-';
  }

  public Socket socket() {
    return socket;
  }

  public static Object canon(Object frame) {
    if (frame instanceof JsonArray a) {
      List<Object> l = new ArrayList<>();
      a.getList().forEach(o -> l.add(canon(o)));
      return l;
    }
    return frame instanceof Buffer b ? b.toString() : String.valueOf(frame);
  }

  @Override
  public void frame(Object frame) {
    frames.add(frame);
  }

  @Override
  public boolean error(FramingException error) {
    throw new AssertionError("the server sent a bad frame: " + error.getMessage());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
