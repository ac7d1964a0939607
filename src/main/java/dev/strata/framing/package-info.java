/**
 * Layer 2, framing: bytes into frames and back, with no sockets and no event bus.
 *
 * <p>A {@link dev.strata.framing.FrameCodec} pairs an incremental {@link dev.strata.framing.Decoder}
 * (one per connection; the contract is written once, on that interface) with a stateless
 * {@link dev.strata.framing.Encoder}. Codecs are chosen by name through
 * {@link dev.strata.framing.Codecs}. A {@link dev.strata.framing.Transport} makes a full-duplex stream
 * of frames out of any byte stream, for use from plain Vert.x code.
 *
 * <p>May import: Vert.x buffers and JSON, Netty buffers. Never: {@code io.vertx.core.net},
 * the event bus, or another Strata layer.
 *
 * <pre>{@code
 * Decoder<Buffer> d = LineCodec.create().newDecoder();
 * d.decode(Buffer.buffer("GET a\r\nPI"), frame -> System.out.println(frame));  // "GET a"
 * d.decode(Buffer.buffer("NG\n"), frame -> System.out.println(frame));         // "PING"
 * }</pre>
 */
package dev.strata.framing;
