package dev.strata.cluster;

import static org.awaitility.Awaitility.await;

import dev.strata.support.LineClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pipelined load on a {@code lines} listener whose application ({@link HeldEchoVerticle}) runs on members
 * {@code b} and {@code c}: connections served by each (a connection's reads go to one member), each
 * sending {@value #PIPELINE} requests per write and checking every answer, in order: its echo, or
 * {@code -ERR app.held: member n<k> left}. Anything else, or no answer within 10 s, is recorded.
 */
final class PipelinedLoad implements AutoCloseable {

  static final int PIPELINE = 8;

  final AtomicLong slowestMs = new AtomicLong();
  final AtomicLong leftErrors = new AtomicLong();
  /** Answers from c on the connections b served, after {@link #gone}. */
  final AtomicLong byCAfter = new AtomicLong();
  final List<String> wrong = new CopyOnWriteArrayList<>();
  private final AtomicBoolean gone = new AtomicBoolean();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<LineClient> clients = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  /** Opens at least {@code connections} connections, some served by b and some by c, and starts the load. */
  PipelinedLoad(int port, int connections) {
    Map<LineClient, String> servedBy = new ConcurrentHashMap<>();
    await("connections served by b and by c").atMost(Duration.ofSeconds(60)).until(() -> {
      LineClient client = new LineClient(port);
      String first = client.request("hello");
      if (first == null || !first.endsWith(":hello")) {
        client.close();
        return false;
      }
      clients.add(client);
      servedBy.put(client, first.substring(0, 1));
      return clients.size() >= connections && servedBy.containsValue("b") && servedBy.containsValue("c");
    });
    for (int n = 0; n < clients.size(); n++) {
      LineClient client = clients.get(n);
      boolean onB = servedBy.get(client).equals("b");
      int conn = n;
      Thread t = new Thread(() -> run(client, conn, onB));
      t.start();
      threads.add(t);
    }
    await("load running").atMost(Duration.ofSeconds(30)).until(() -> slowestMs.get() > 0);
  }

  private void run(LineClient client, int conn, boolean onB) {
    long seq = 0;
    try {
      while (!stop.get()) {
        boolean after = gone.get();
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < PIPELINE; i++) {
          batch.append("r").append(conn).append('-').append(seq + i).append('\n');
        }
        long sent = System.nanoTime();
        client.send(batch.toString());
        for (int i = 0; i < PIPELINE; i++) {
          String reply = client.readLine(); // 10 s read timeout: a lost answer fails the test
          String expected = "r" + conn + "-" + (seq + i);
          if (reply != null && reply.matches("-ERR app\\.held: member n\\d+ left")) { // the lines codec's error form
            leftErrors.incrementAndGet();
          } else if (reply == null || !reply.endsWith(":" + expected)) {
            wrong.add(expected + " answered " + reply);
          } else if (onB && after && reply.startsWith("c:")) {
            byCAfter.incrementAndGet();
          }
          slowestMs.accumulateAndGet((System.nanoTime() - sent) / 1_000_000, Math::max);
        }
        seq += PIPELINE;
      }
    } catch (Exception e) {
      wrong.add("connection " + conn + ": " + e);
    }
  }

  /** From now on, answers from c on b's connections count in {@link #byCAfter}. */
  void memberGone() {
    gone.set(true);
  }

  @Override
  public void close() throws Exception {
    stop.set(true);
    for (Thread t : threads) {
      t.join(20_000);
    }
    for (LineClient c : clients) {
      c.close();
    }
  }
}
