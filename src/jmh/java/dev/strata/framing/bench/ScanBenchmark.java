package dev.strata.framing.bench;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Finding the LF in a 1,460-byte chunk that has none (the inner loop of long lines): Strata's SWAR
 * scan against Netty's {@code ByteBuf.indexOf} on the same Vert.x heap buffer. Score: chunks/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScanBenchmark {

  private ByteBuf chunk;

  @Setup
  public void setup() {
    byte[] bytes = new byte[1460];
    Arrays.fill(bytes, (byte) 'x');
    chunk = ((BufferImpl) Buffer.buffer(bytes)).byteBuf();
  }

  @Benchmark
  public int strata() {
    return dev.strata.framing.ScanAccess.indexOf(chunk, 0, 1460, (byte) '\n');
  }

  @Benchmark
  public int netty() {
    return chunk.indexOf(0, 1460, (byte) '\n');
  }
}
