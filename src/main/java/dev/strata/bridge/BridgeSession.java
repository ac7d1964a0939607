package dev.strata.bridge;

import dev.strata.exchange.Service;
import dev.strata.framing.FrameReceiver;
import dev.strata.framing.FramedStream;
import dev.strata.framing.FrameTooLongException;
import dev.strata.framing.FramingException;
import dev.strata.framing.JsonCodec;
import dev.strata.stream.CloseReason;
import dev.strata.stream.Connection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One bridge client: its frames in (JSON objects), event-bus traffic out, on the connection's event
 * loop. A request ({@code send} with a {@code replyAddress}) gets exactly one answer: the reply as a
 * {@code message} to that reply address, or an {@code err} naming it (no handler, timeout, the
 * application's failure). Messages the client receives for an address it registered may expect a
 * reply: the client answers with a {@code send} to the {@code replyAddress} it was given.
 *
 * <p>What one client can make the server hold is bounded: {@code maxRegistrations} consumers (beyond
 * it, an {@code err}), {@code maxInFlight} requests, the messages waiting for it to read ({@link Outbox}),
 * and what it is answered. Backpressure, not refusal: while {@code maxInFlight} requests await replies,
 * or its socket's write queue is full, its socket is not read; the frames already decoded from the last
 * read (at most one read's worth) wait here, in order, and reading resumes when a reply frees a slot and
 * the queue drains. A client that pipelines faster than the server answers is slowed down; one that
 * sends without reading holds one read's worth of the server's memory, not everything it sent.
 */
final class BridgeSession implements FrameReceiver<JsonObject>, FramedStream.Counters {

  private static final System.Logger LOG = System.getLogger(BridgeSession.class.getName());
  /** Requests received by the client and not yet answered are kept at most this long. */
  private static final int MAX_AWAITING = 10_000;

  private final Connection connection;
  private final Vertx vertx;
  private final EventBus eventBus;
  private final BridgeRules rules;
  private final FramedStream<JsonObject> framed;
  private final Outbox outbox;
  private final Map<String, MessageConsumer<Object>> consumers = new HashMap<>();
  /** Messages handed to the client that expect its reply, by reply address, oldest first. */
  private final LinkedHashMap<String, Awaiting> awaiting = new LinkedHashMap<>();
  private boolean closed;
  /** Whether the client has shown {@code bridge.token} (always, when there is none). */
  private boolean authenticated;
  /** The client half-closed: close once the replies it is owed are written. */
  private boolean inputEnded;
  /** Reading paused: {@code maxInFlight} reached, or the client does not read what it is answered. */
  private boolean inputPaused;
  /** Frames of the last read not handled yet, in order, while {@code maxInFlight} requests await replies. */
  private final ArrayDeque<JsonObject> deferred = new ArrayDeque<>();
  /** {@link #pump} is running. */
  private boolean pumping;

  private record Awaiting(Message<Object> message, long deadline) {
  }

  BridgeSession(Vertx vertx, Connection connection, BridgeRules rules) {
    this.connection = connection;
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.rules = rules;
    this.authenticated = rules.token() == null;
    this.framed = FramedStream.create(JsonCodec.create(rules.maxFrameBytes()), connection.socket(), connection.socket(),
        this, vertx.getOrCreateContext());
    this.outbox = new Outbox(connection, framed, (address, m) -> write(message(address, m, m.isSend())));
  }

  void start() {
    framed.start(this);
    framed.drainHandler(v -> writable());
    connection.closeHandler(c -> onClose());
    connection.inputEndHandler(c -> framed.inputEnded());
  }

  @Override
  public void read(int bytes) {
    connection.countIn(bytes);
  }

  @Override
  public void wrote(int bytes, int frames) {
    connection.countOut(bytes, frames);
  }

  @Override
  public void held(int bytes) {
    connection.held(bytes);
  }

  /** End of a read: if the client does not take what it is answered, read no more until it does. */
  @Override
  public void readComplete() {
    framed.flush();
    if (framed.writeQueueFull()) {
      pauseInput();
    }
  }

  /** The socket's write queue drained: held messages first, then the client's input again. */
  private void writable() {
    outbox.drain();
    resumeInputIfDone();
  }

  private void pauseInput() {
    if (!inputPaused) {
      inputPaused = true;
      framed.pause();
      connection.readPaused(true);
    }
  }

  /** Reads again once nothing holds it back: a free request slot, an empty write queue, no held messages. */
  private void resumeInputIfDone() {
    if (inputPaused && deferred.isEmpty() && !framed.writeQueueFull() && !outbox.holding() && !closed) {
      inputPaused = false;
      connection.readPaused(false);
      framed.resume();
    }
  }

  /** A reply freed a request slot: the deferred frames go on, in order, until the next request that must wait. */
  private void pump() {
    if (pumping) {
      return; // a request answered in place, from the loop below: the loop goes on (no recursion per frame)
    }
    pumping = true;
    try {
      while (!deferred.isEmpty() && !closed) {
        if (mustWait(deferred.peekFirst())) {
          return;
        }
        handle(deferred.pollFirst());
      }
    } finally {
      pumping = false;
    }
    framed.flushSoon();
    resumeInputIfDone();
    closeIfDone();
  }

  /** A request (not an answer to one the client was given) while {@code maxInFlight} await replies. */
  private boolean mustWait(JsonObject msg) {
    return connection.inFlight() >= rules.maxInFlight() && "send".equals(msg.getValue("type"))
        && msg.getValue("replyAddress") instanceof String && !awaiting.containsKey(msg.getValue("address"));
  }

  /** The client half-closed: close once the replies it is owed are written. */
  @Override
  public void inputEnded() {
    inputEnded = true;
    closeIfDone();
  }

  private void closeIfDone() {
    if (inputEnded && connection.inFlight() == 0 && deferred.isEmpty()) {
      framed.flush();
      connection.close(CloseReason.CLIENT_CLOSED);
    }
  }

  // ---- from the client ----

  @Override
  public void frame(JsonObject msg) {
    if (closed) {
      return;
    }
    connection.countFrameIn();
    if (!deferred.isEmpty() || mustWait(msg)) {
      deferred.addLast(msg); // at most the rest of this read: the socket is not read until they are handled
      pauseInput();
      return;
    }
    handle(msg);
  }

  private void handle(JsonObject msg) {
    Object type = msg.getValue("type");
    if (!authenticated && !"ping".equals(type)) {
      Object token = msg.getValue("headers") instanceof JsonObject h ? h.getValue("token") : null;
      if (!rules.tokenMatches(token)) {
        Object replyAddress = msg.getValue("replyAddress");
        error("access_denied: this bridge needs a token (bridge.token), sent as the header 'token'",
            replyAddress instanceof String r ? r : msg.getValue("address") instanceof String a ? a : null);
        return;
      }
      authenticated = true;
    }
    switch (type instanceof String t ? t : "") {
      case "ping" -> write(new JsonObject().put("type", "pong"));
      case "send" -> send(msg, false);
      case "publish" -> send(msg, true);
      case "register" -> register(msg);
      case "unregister" -> unregister(msg);
      default -> error("unknown_type", null); // the Vert.x bridge's code (it throws instead of sending it)
    }
  }

  @Override
  public boolean error(FramingException e) {
    error("bad frame: " + e.getMessage(), null);
    if (e.resyncable()) {
      return true;
    }
    LOG.log(System.Logger.Level.INFO, "{0}: {1}; closing", connection, e.getMessage());
    framed.flush();
    connection.close(e instanceof FrameTooLongException ? CloseReason.FRAME_TOO_LARGE : CloseReason.CORRUPT_FRAME);
    return false;
  }

  private void send(JsonObject msg, boolean publish) {
    String address = address(msg);
    if (address == null) {
      return;
    }
    Object body = msg.getValue("body");
    Awaiting answered = awaiting.remove(address);
    if (answered != null) { // the client answers a request it was given
      Object code = msg.getValue("failureCode");
      if (code instanceof Number n) {
        answered.message().fail(n.intValue(), String.valueOf(msg.getValue("message")));
      } else {
        DeliveryOptions replyOptions;
        try {
          replyOptions = BridgeFrames.options(msg);
        } catch (IllegalArgumentException e) {
          error(e.getMessage(), address);
          replyOptions = new DeliveryOptions();
        }
        answered.message().reply(body, replyOptions);
      }
      return;
    }
    if (!rules.mayReceiveFromClient(address)) {
      // a request is refused at its reply address, so that the client's callback for it fires
      Object replyAddress = msg.getValue("replyAddress");
      error("access_denied", replyAddress instanceof String r && !publish ? r : address);
      return;
    }
    DeliveryOptions options;
    try {
      options = BridgeFrames.options(msg);
    } catch (IllegalArgumentException e) {
      Object replyAddress = msg.getValue("replyAddress");
      error(e.getMessage(), replyAddress instanceof String r && !publish ? r : address);
      return;
    }
    Object replyAddress = msg.getValue("replyAddress");
    if (publish || !(replyAddress instanceof String)) {
      try {
        if (publish) {
          eventBus.publish(address, body, options);
        } else {
          eventBus.send(address, body, options);
        }
      } catch (IllegalArgumentException e) { // no such codecName, or none for this body
        error(e.getMessage(), address);
      }
      return;
    }
    String replyTo = (String) replyAddress;
    if (options.getSendTimeout() == DeliveryOptions.DEFAULT_TIMEOUT) {
      options.setSendTimeout(rules.replyTimeoutMs());
    }
    Future<Message<Object>> reply;
    try {
      // an application on this node is called without the event bus (in place on this event loop, if it
      // runs here): its replies are then written with this read's flush, one write for the read's requests
      reply = Service.request(vertx, address, body, options);
    } catch (IllegalArgumentException e) { // no such codecName, or none for this body
      write(BridgeFrames.failure(replyTo, address, e));
      return;
    }
    connection.inFlight(connection.inFlight() + 1);
    reply.onComplete(ar -> {
      connection.inFlight(Math.max(0, connection.inFlight() - 1));
      if (ar.succeeded()) {
        write(message(replyTo, ar.result(), true));
      } else {
        write(BridgeFrames.failure(replyTo, address, ar.cause()));
      }
      pump();
    });
  }

  private void register(JsonObject msg) {
    String address = address(msg);
    if (address == null || consumers.containsKey(address)) {
      return;
    }
    if (!rules.maySendToClient(address)) {
      error("access_denied", address);
      return;
    }
    if (consumers.size() >= rules.maxRegistrations()) {
      error("registration refused: this client already has " + rules.maxRegistrations()
          + " registrations (bridge.maxRegistrations); unregister one first", address);
      return;
    }
    MessageConsumer<Object> consumer = eventBus.consumer(address);
    outbox.watch(consumer);
    consumer.handler(m -> outbox.deliver(address, m)); // never paused: the outbox bounds what a slow client holds
    consumers.put(address, consumer);
  }

  private void unregister(JsonObject msg) {
    String address = address(msg);
    if (address == null) {
      return;
    }
    if (!rules.maySendToClient(address)) {
      error("access_denied", address);
      return;
    }
    MessageConsumer<Object> consumer = consumers.remove(address);
    if (consumer == null) {
      error("unknown_address", address);
      return;
    }
    consumer.unregister();
  }

  private String address(JsonObject msg) {
    Object address = msg.getValue("address");
    if (address instanceof String a && !a.isEmpty()) {
      return a;
    }
    error("missing_address", null);
    return null;
  }

  // ---- to the client ----

  /** A message for the client ({@link BridgeFrames#message}); one that expects an answer is remembered. */
  private JsonObject message(String address, Message<Object> m, boolean send) {
    JsonObject out = BridgeFrames.message(address, m, send);
    String replyAddress = m.replyAddress();
    if (replyAddress != null) {
      expire(System.currentTimeMillis());
      awaiting.put(replyAddress, new Awaiting(m, System.currentTimeMillis() + rules.replyTimeoutMs()));
    }
    return out;
  }

  /** Forgets requests the client never answered once their requester has given up on them. */
  private void expire(long now) {
    Iterator<Awaiting> it = awaiting.values().iterator();
    while (it.hasNext()) {
      Awaiting a = it.next();
      if (a.deadline() > now && awaiting.size() < MAX_AWAITING) {
        break;
      }
      it.remove();
    }
  }

  private void error(String message, String address) {
    JsonObject err = new JsonObject().put("type", "err").put("message", message);
    if (address != null) {
      err.put("address", address);
    }
    write(err);
  }

  private void write(JsonObject frame) {
    if (closed) {
      return;
    }
    framed.write(frame);
    framed.flushSoon(); // replies and messages of one task leave in one write
  }

  private void onClose() {
    closed = true;
    framed.closed();
    outbox.closed(); // first: what the consumers drop as they go is not this client's doing
    consumers.values().forEach(MessageConsumer::unregister);
    consumers.clear();
    deferred.clear();
    // whoever is waiting on this client learns now, not at its timeout
    awaiting.values().forEach(a -> a.message().fail(503, "bridge client disconnected"));
    awaiting.clear();
  }
}
