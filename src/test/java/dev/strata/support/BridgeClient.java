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
    this(port, 10_000);
  }

  /** With reads that give up after {@code readTimeoutMs} ({@code SocketTimeoutException}). */
  public BridgeClient(int port, int readTimeoutMs) throws IOException {
    this(plain(port), readTimeoutMs);
  }

  /** Over a socket already connected (a TLS socket, say). */
  public BridgeClient(Socket connected) throws IOException {
    this(connected, 10_000);
  }

  private BridgeClient(Socket connected, int readTimeoutMs) throws IOException {
    socket = connected;
    socket.setSoTimeout(readTimeoutMs);
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
    sendRaw(msg.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** One frame whose text is {@code json}, valid or not. */
  public void sendRaw(byte[] json) throws IOException {
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
