/**
 * Framing: byte chunks in, frames out, and back. Knows nothing of sockets or the event bus; it may
 * import Vert.x core buffers and JSON, and Netty buffers, and no other {@code dev.strata} package.
 *
 * <h2>The decoder contract</h2>
 * <ul>
 *   <li>{@link dev.strata.framing.Decoder#decode} consumes the whole chunk and delivers every complete
 *       frame in it, in order. A frame wholly inside a chunk is sliced out of it (Vert.x chunks are
 *       unpooled heap copies, safe to slice); only a frame cut by the chunk's end is copied, and bytes
 *       already searched are never searched again. A sliced frame is a view: {@code copy()} it
 *       before appending to it.
 *   <li>Nothing is buffered past {@code maxFrameBytes} (plus one header): a frame over the maximum is
 *       refused with a {@link dev.strata.framing.FrameTooLongException} as soon as that is known,
 *       before its body arrives. A negative, overflowing or impossible length is a
 *       {@link dev.strata.framing.CorruptFrameException}, never an allocation or a loop.
 *   <li>Error policy: the sink's {@link dev.strata.framing.FrameSink#error} answers {@code true} to
 *       resync (skip to the next frame boundary; honoured only when the error is
 *       {@link dev.strata.framing.FramingException#resyncable()}) or {@code false} to stop for good.
 *   <li>{@link dev.strata.framing.Decoder#finish} at end of stream: a partial frame is a
 *       {@link dev.strata.framing.TruncatedFrameException}. Decoders are per connection, not
 *       thread-safe; encoders are shared and stateless.
 * </ul>
 *
 * <h2>The codecs (bytes in, frames out)</h2>
 * <pre>
 *  lines      | G E T \r \n | P I N G \n |            -> "GET" "PING"               LineCodec
 *  delimiter  | a b | | c d \r \n |   ["|","\r\n"]   -> "ab" "cd"                  DelimiterCodec
 *  fixed      | a b c | d e f |       frameBytes 3   -> "abc" "def"                FixedLengthCodec
 *  length     | 00 00 00 02 | h i |                  -> "hi"                       LengthFieldCodec
 *  varint     | 02 | h i | AC 02 | 300 bytes |       -> "hi" (300 bytes)           VarintCodec
 *  resp       | *1\r\n $4\r\n PING\r\n | PING\r\n |  -> [PING] [PING]              RespCodec
 *  json       | 00 00 00 02 | { } |                  -> JsonObject {}              JsonCodec
 *  netstring  | 2 : h i , |                          -> "hi"                       NetstringCodec
 * </pre>
 * Each codec's class documents its options, defaults and errors; {@link dev.strata.framing.Codecs}
 * creates them by name from configuration, and each has a builder or factory for plain Java.
 * {@link dev.strata.framing.ModalDecoder} is the base for header-then-body protocols.
 *
 * <pre>{@code
 * FrameCodec<Buffer> codec = LengthFieldCodec.builder().lengthFieldBytes(2).maxFrameBytes(4096).build();
 * Decoder<Buffer> decoder = codec.newDecoder();
 * decoder.decode(chunk, frame -> System.out.println(frame));
 * Buffer out = codec.encoder().encode(Buffer.buffer("hi"));   // 00 02 68 69
 * }</pre>
 */
package dev.strata.framing;
