// Request/reply over UDP against the same over TCP, on a node's echo listeners (docs/benchmarks.md, UDP).
// Each client is a thread with its own socket, keeping DEPTH requests of PAYLOAD bytes (one line each)
// outstanding, for SECONDS per transport; TCP and UDP run one after the other in the same process.
// Run with: java -cp target/strata.jar src/bench/UdpVsTcpEcho.java HOST TCP_PORT UDP_PORT CLIENTS SECONDS DEPTH PAYLOAD
// A UDP request whose reply does not come within 1 s counts as lost and is sent again.
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

public class UdpVsTcpEcho {

  interface Client extends AutoCloseable {
    /** Sends DEPTH requests, waits for DEPTH replies; returns how many were lost (UDP). */
    int roundTrip(byte[] requests, int depth) throws Exception;
  }

  static final class Tcp implements Client {
    final Socket s;
    final OutputStream out;
    final InputStream in;
    final byte[] buf = new byte[1 << 16];

    Tcp(InetSocketAddress a) throws Exception {
      s = new Socket(a.getAddress(), a.getPort());
      s.setTcpNoDelay(true);
      out = s.getOutputStream();
      in = s.getInputStream();
    }

    public int roundTrip(byte[] requests, int depth) throws Exception {
      out.write(requests);
      int lines = 0;
      while (lines < depth) {
        int n = in.read(buf);
        if (n < 0) throw new IllegalStateException("closed");
        for (int i = 0; i < n; i++) if (buf[i] == '\n') lines++;
      }
      return 0;
    }

    public void close() throws Exception { s.close(); }
  }

  static final class Udp implements Client {
    final DatagramSocket s;
    final InetSocketAddress to;
    final byte[] buf = new byte[1 << 16];
    final int payload;

    Udp(InetSocketAddress a, int payload) throws Exception {
      s = new DatagramSocket();
      s.setSoTimeout(1000);
      s.setReceiveBufferSize(1 << 20);
      to = a;
      this.payload = payload;
    }

    public int roundTrip(byte[] requests, int depth) throws Exception {
      int per = payload + 1;
      for (int i = 0; i < depth; i++) {
        s.send(new DatagramPacket(requests, i * per, per, to)); // one line per datagram
      }
      int lines = 0;
      int lost = 0;
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      while (lines < depth) {
        try {
          s.receive(p);
          for (int i = 0; i < p.getLength(); i++) if (buf[i] == '\n') lines++;
        } catch (SocketTimeoutException e) {
          lost += depth - lines; // give up on what is missing and go on
          break;
        }
      }
      return lost;
    }

    public void close() { s.close(); }
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int tcpPort = Integer.parseInt(args[1]);
    int udpPort = Integer.parseInt(args[2]);
    int clients = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    int depth = Integer.parseInt(args[5]);
    int payload = Integer.parseInt(args[6]);
    byte[] one = new byte[payload + 1];
    java.util.Arrays.fill(one, (byte) 'x');
    one[payload] = '\n';
    byte[] requests = new byte[one.length * depth];
    for (int i = 0; i < depth; i++) System.arraycopy(one, 0, requests, i * one.length, one.length);
    System.out.printf("clients %d, depth %d, payload %d bytes, %d s each%n", clients, depth, payload, seconds);
    for (String t : new String[] {"tcp", "udp"}) {
      run(t, t.equals("tcp") ? new InetSocketAddress(host, tcpPort) : new InetSocketAddress(host, udpPort),
          clients, 1, depth, payload, requests); // warm-up
      run(t, t.equals("tcp") ? new InetSocketAddress(host, tcpPort) : new InetSocketAddress(host, udpPort),
          clients, seconds, depth, payload, requests);
    }
  }

  static void run(String transport, InetSocketAddress a, int clients, int seconds, int depth, int payload,
      byte[] requests) throws Exception {
    Recorder latency = new Recorder(3);
    AtomicLong done = new AtomicLong();
    AtomicLong lost = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Client client = transport.equals("tcp") ? new Tcp(a) : new Udp(a, payload);
      Thread th = new Thread(() -> {
        try (client) {
          while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            int l = client.roundTrip(requests, depth);
            latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            done.addAndGet(depth - l);
            lost.addAndGet(l);
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) th.join();
    var h = latency.getIntervalHistogram();
    if (seconds > 1) {
      System.out.printf("%s: %,.0f req/s, round trip p50 %.3f ms, p99 %.3f ms, lost %d%n", transport,
          done.get() / (double) seconds, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
          lost.get());
    }
  }
}
