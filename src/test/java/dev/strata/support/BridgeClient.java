package dev.strata.support;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A blocking client of the Vert.x TCP event-bus bridge protocol: 4-byte length, then UTF-8 JSON. */
public final class BridgeClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  public BridgeClient(int port) throws IOException {
    this(plain(port));
  }

  /** Over a socket already connected (a TLS socket, say). */
  public BridgeClient(Socket connected) throws IOException {
    socket = connected;
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  private static Socket plain(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return s;
  }

  /** A {@code send} to {@code address} expecting a reply at {@code replyAddress}. */
  public static JsonObject request(String address, Object body, String replyAddress) {
    return new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress);
  }

  public void send(JsonObject msg) throws IOException {
    byte[] json = msg.encode().getBytes(StandardCharsets.UTF_8);
    out.write(ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array());
    out.flush();
  }

  public JsonObject next() throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return new JsonObject(new String(frame, StandardCharsets.UTF_8));
  }

  /** The raw output, for writing frames from another thread or many at once. */
  public OutputStream output() {
    return out;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
