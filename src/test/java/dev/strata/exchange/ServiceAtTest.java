package dev.strata.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Service.at}: a local Endpoint is called without the event bus, and the caller sees what an
 * event-bus request would give: the reply, the application's failure, a timeout, no handlers.
 */
class ServiceAtTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Deploys an Endpoint on {@code app.t} and a caller verticle; returns what the caller's request gave. */
  private Object call(io.vertx.core.Handler<Message<Object>> app, long timeoutMs, Object body) {
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return Endpoint.serve(vertx, "app.t", app);
      }
    }).await();
    return outcome(vertx, s -> s.request(body), timeoutMs, "app.t");
  }

  private static Object outcome(Vertx vertx, Function<Service<Object, Object>, Future<Object>> f, long timeoutMs,
      String address) {
    AtomicReference<Future<Object>> result = new AtomicReference<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        result.set(f.apply(Service.at(vertx, address, new DeliveryOptions().setSendTimeout(timeoutMs))));
        return Future.succeededFuture();
      }
    }).await();
    try {
      return result.get().await();
    } catch (Throwable t) {
      return t;
    }
  }

  @Test
  void repliesComeBackWithTheirBody() {
    assertThat(call(m -> m.reply("got " + m.body()), 1000, "x")).isEqualTo("got x");
  }

  @Test
  void theApplicationsFailureKeepsItsCodeAndText() {
    Object out = call(m -> m.fail(7, "WRONGTYPE nope"), 1000, "x");
    assertThat(out).isInstanceOf(ReplyException.class);
    ReplyException re = (ReplyException) out;
    assertThat(re.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(re.failureCode()).isEqualTo(7);
    assertThat(re.getMessage()).isEqualTo("WRONGTYPE nope");
  }

  @Test
  void aHandlerThatNeverRepliesTimesOut() {
    Object out = call(m -> { }, 200, "x");
    assertThat(out).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) out).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
  }

  @Test
  void aReplySentToTheReplyAddressAnswersTheRequest() {
    Vertx v = vertx;
    assertThat(call(m -> {
      assertThat(m.isSend()).isTrue();
      v.eventBus().send(m.replyAddress(), "via " + m.replyAddress().substring(0, 15));
    }, 1000, "x")).isEqualTo("via __strata.reply.");
  }

  @Test
  void aReplyTheEventBusCannotCarryFailsTheRequest() {
    Object out = call(m -> m.reply(new Object()), 1000, "x");
    assertThat(out).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) out).getMessage()).startsWith("ERR reply not sendable: No message codec");
  }

  @Test
  void theHandlerRunsOnTheApplicationsContext() {
    AtomicReference<String> deployment = new AtomicReference<>();
    AtomicReference<JsonObject> config = new AtomicReference<>();
    String id = vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return Endpoint.serve(vertx, "app.ctx", m -> {
          Context c = Vertx.currentContext();
          deployment.set(c.deploymentID());
          config.set(c.config());
          m.reply("ok");
        });
      }
    }, new io.vertx.core.DeploymentOptions().setConfig(new JsonObject().put("marker", 42))).await();
    assertThat(outcome(vertx, s -> s.request("x"), 1000, "app.ctx")).isEqualTo("ok");
    assertThat(deployment.get()).isEqualTo(id);
    assertThat(config.get().getInteger("marker")).isEqualTo(42);
  }

  @Test
  void withoutALocalEndpointTheEventBusAnswers() {
    vertx.eventBus().consumer("app.bus", m -> m.reply("bus " + m.body())).completion().await();
    assertThat(outcome(vertx, s -> s.request("y"), 1000, "app.bus")).isEqualTo("bus y");
    Object none = outcome(vertx, s -> s.request("y"), 1000, "app.nobody");
    assertThat(((ReplyException) none).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
  }
}
