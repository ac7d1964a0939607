package dev.strata.framing.bench;

import dev.strata.framing.Decoder;
import dev.strata.framing.FrameSink;
import dev.strata.framing.RespCodec;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * RESP request decoding as redis-benchmark sends it with pipelining 16: one read holds 16 commands
 * ({@code SET key:000042 <3-byte value>}, {@code GET key:000042}, or inline {@code PING}). One
 * operation is one command: the score is commands/s, {@code gc.alloc.rate.norm} bytes per command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RespBenchmark {

  static final int PIPELINE = 16;

  @Param({"SET", "GET", "PING_INLINE"})
  public String command;

  private Buffer read;
  private Decoder<Object> decoder;
  private FrameSink<Object> sink;

  @Setup
  public void setup(Blackhole bh) {
    Buffer b = Buffer.buffer();
    for (int i = 0; i < PIPELINE; i++) {
      String key = String.format("key:%06d", i);
      switch (command) {
        case "SET" -> b.appendString("*3\r\n$3\r\nSET\r\n$10\r\n" + key + "\r\n$3\r\nxxx\r\n");
        case "GET" -> b.appendString("*2\r\n$3\r\nGET\r\n$10\r\n" + key + "\r\n");
        default -> b.appendString("PING\r\n");
      }
    }
    read = b;
    decoder = RespCodec.create().newDecoder();
    sink = bh::consume;
  }

  @Benchmark
  @OperationsPerInvocation(PIPELINE)
  public void strata() {
    decoder.decode(read, sink);
  }
}
