package dev.strata.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A blocking UDP client for tests (a plain {@link DatagramSocket}, as any UDP peer would use): each
 * {@link #send} is one datagram to the server, each {@link #receive} one datagram back, waiting at
 * most five seconds.
 */
public final class UdpClient implements AutoCloseable {

  private final DatagramSocket socket;
  private final InetSocketAddress server;

  public UdpClient(int port) {
    try {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      socket.setSoTimeout(5_000);
      socket.setReceiveBufferSize(1 << 20);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  public int localPort() {
    return socket.getLocalPort();
  }

  public void send(byte[] datagram) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, server));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void send(String datagram) {
    send(datagram.getBytes(StandardCharsets.UTF_8));
  }

  /** The next datagram, checked to come from the server. */
  public byte[] receive() {
    byte[] buf = new byte[65_536];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no datagram within 5 s", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!p.getSocketAddress().equals(server)) {
      throw new AssertionError("datagram from " + p.getSocketAddress() + ", not the server " + server);
    }
    return Arrays.copyOf(buf, p.getLength());
  }

  public String receiveText() {
    return new String(receive(), StandardCharsets.UTF_8);
  }

  /** One datagram out, one back. */
  public String request(String datagram) {
    send(datagram);
    return receiveText();
  }

  @Override
  public void close() {
    socket.close();
  }
}
