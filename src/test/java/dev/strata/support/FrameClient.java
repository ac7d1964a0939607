package dev.strata.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A blocking client of 4-byte big-endian length-prefixed frames (the {@code length} and {@code json}
 * codecs' wire form) over a real socket; for end-to-end tests.
 */
public final class FrameClient implements AutoCloseable {

  private final Socket socket = new Socket();
  private final DataInputStream in;
  private final OutputStream out;

  public FrameClient(int port) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
    out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
  }

  /** Queues one frame (length, then body); {@link #flush} sends what is queued. */
  public FrameClient write(Buffer body) throws IOException {
    byte[] b = body.getBytes();
    out.write(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
    out.write(b);
    return this;
  }

  public FrameClient flush() throws IOException {
    out.flush();
    return this;
  }

  /** Sends one frame now. */
  public FrameClient send(Buffer body) throws IOException {
    return write(body).flush();
  }

  public FrameClient send(JsonObject body) throws IOException {
    return send(body.toBuffer());
  }

  /** The next frame's body. */
  public Buffer next() throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return Buffer.buffer(frame);
  }

  public JsonObject nextJson() throws IOException {
    return new JsonObject(next());
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
