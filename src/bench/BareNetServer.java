// The bare Vert.x NetServer of the idle-connection memory comparison (docs/benchmarks.md):
// accepts, echoes, keeps nothing. Run with: java -cp target/strata.jar src/bench/BareNetServer.java PORT
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

public class BareNetServer {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())).build();
    vertx.createNetServer().connectHandler(s -> s.handler(s::write)).listen(port, "127.0.0.1").await();
    System.out.println("bare NetServer on " + port);
  }
}
