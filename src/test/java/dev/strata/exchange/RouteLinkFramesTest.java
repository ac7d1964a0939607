package dev.strata.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The frames of a member-route link, however the stream is cut into reads. */
class RouteLinkFramesTest {

  private static Buffer frame(byte kind, String payload) {
    byte[] p = payload.getBytes();
    return Buffer.buffer().appendInt(p.length + 1).appendByte(kind).appendBytes(p);
  }

  @Test
  void everyFrameOnceInOrderAtAnyCut() {
    Buffer stream = Buffer.buffer();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String p = "payload-" + i + "-" + "x".repeat(i * 7);
      sent.add((i % 3 == 0 ? "b:" : "o:") + p);
      stream.appendBuffer(frame(i % 3 == 0 ? RouteLink.BATCHES : RouteLink.OUTCOMES, p));
    }
    for (int cut = 1; cut <= stream.length(); cut += (cut < 16 ? 1 : 37)) {
      List<String> got = new ArrayList<>();
      AtomicInteger bad = new AtomicInteger();
      RouteLink.Frames f = new RouteLink.Frames(b -> got.add("o:" + b.toString()), b -> got.add("b:" + b.toString()),
          bad::incrementAndGet);
      for (int at = 0; at < stream.length(); at += cut) {
        f.handle(stream.getBuffer(at, Math.min(stream.length(), at + cut)));
      }
      assertEquals(sent, got, "cut " + cut);
      assertEquals(0, bad.get());
    }
  }

  @Test
  void aKindTheSideDoesNotTakeOrABadLengthClosesTheLink() {
    AtomicInteger bad = new AtomicInteger();
    List<Buffer> got = new ArrayList<>();
    RouteLink.Frames listenerSide = new RouteLink.Frames(got::add, bad::incrementAndGet);
    listenerSide.handle(frame(RouteLink.BATCHES, "no batches here"));
    assertEquals(1, bad.get());
    RouteLink.Frames other = new RouteLink.Frames(got::add, bad::incrementAndGet);
    other.handle(Buffer.buffer().appendInt(0).appendByte(RouteLink.OUTCOMES));
    assertEquals(2, bad.get());
    RouteLink.Frames huge = new RouteLink.Frames(got::add, bad::incrementAndGet);
    huge.handle(Buffer.buffer().appendInt(Integer.MAX_VALUE));
    assertEquals(3, bad.get());
    assertTrue(got.isEmpty());
  }
}
