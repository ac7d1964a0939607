package dev.strata.bridge;

import dev.strata.framing.FramedStream;
import dev.strata.stream.Connection;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event-bus messages on their way to one bridge client, which may read slower than they come or not
 * at all. While its socket's write queue is full, up to {@link #MAX_HELD} messages wait here (across all
 * its registrations); later ones are dropped, a request among them failed at once (503) so that its
 * requester does not wait for a timeout.
 *
 * <p>Why not pause the client's consumers, as the Vert.x bridge does: a paused consumer holds up to
 * 1,000 messages <em>each</em> (so a client registered for 1,000 addresses could make the server hold a
 * million), and Vert.x logs one WARN per message it drops then (199k lines for 100k publishes to a client
 * that never reads). Here a client holds at most {@link #MAX_HELD}, and its drops are counted and
 * logged twice per episode: when they start, and how many when it reads again or leaves. Messages the
 * event bus itself drops before they reach the consumer (a publisher faster than the client's event
 * loop: the consumer's queue is full) are counted the same way, through the consumer's discard handler.
 *
 * <p>On the connection's event loop, except {@link #discarded}, which any thread may call.
 */
final class Outbox {

  /** Messages held for one client whose socket does not take more. */
  static final int MAX_HELD = 1_000;
  /** Messages written between two looks at the socket's queue. */
  private static final int FLUSH_EVERY = 64;
  private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

  /** How a message becomes a frame on the client's stream (the session keeps its reply address). */
  interface Writer {
    void write(String address, Message<Object> message);
  }

  private record Held(String address, Message<Object> message) {
  }

  private final Connection connection;
  private final FramedStream<?> framed;
  private final Writer writer;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean dropping = new AtomicBoolean();
  private volatile boolean closed;
  private int unflushed;

  Outbox(Connection connection, FramedStream<?> framed, Writer writer) {
    this.connection = connection;
    this.framed = framed;
    this.writer = writer;
  }

  /** Stops Vert.x's WARN per message dropped at a full consumer queue; counts the drop here instead. */
  void watch(MessageConsumer<Object> consumer) {
    // Internal Vert.x API (public on the implementation): without it every drop is one WARN line.
    if (consumer instanceof MessageConsumerImpl<Object> impl) {
      impl.discardHandler(m -> discarded()); // Vert.x fails a dropped request itself (TIMEOUT, at once)
    }
  }

  /** A message for the client: written now, held while its socket is full, or dropped past the limit. */
  void deliver(String address, Message<Object> message) {
    if (held.isEmpty() && !framed.writeQueueFull()) {
      writer.write(address, message);
      if (++unflushed >= FLUSH_EVERY) {
        // The socket's queue only counts what was flushed: a burst delivered in one event-loop task (a
        // publisher's read on this loop) would otherwise all pass the check above before the first flush.
        framed.flush();
        unflushed = 0;
      }
      return;
    }
    if (held.size() < MAX_HELD) {
      held.addLast(new Held(address, message));
      return;
    }
    if (message.replyAddress() != null) {
      message.fail(503, "bridge client is not reading: " + connection);
    }
    discarded();
  }

  /** The socket takes writes again: held messages go out while it does. */
  void drain() {
    while (!held.isEmpty() && !framed.writeQueueFull()) {
      Held h = held.pollFirst();
      writer.write(h.address(), h.message());
      framed.flush();
    }
    if (held.isEmpty() && dropping.get()) {
      report("reads again");
    }
  }

  boolean holding() {
    return !held.isEmpty();
  }

  /** The connection closed: held requests fail now, not at their timeout. */
  void closed() {
    closed = true;
    for (Held h : held) {
      if (h.message().replyAddress() != null) {
        h.message().fail(503, "bridge client disconnected");
      }
    }
    held.clear();
    if (dropping.get()) {
      report("closed");
    }
  }

  private void discarded() {
    if (closed) {
      return;
    }
    dropped.incrementAndGet();
    if (dropping.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, "{0}: does not read what it is sent; holding {1} messages, dropping "
          + "the rest until it does", connection, String.valueOf(MAX_HELD));
    }
  }

  private void report(String what) {
    dropping.set(false);
    LOG.log(System.Logger.Level.WARNING, "{0}: {1}; {2} messages to it were dropped while it did not read",
        connection, what, String.valueOf(dropped.getAndSet(0)));
  }
}
