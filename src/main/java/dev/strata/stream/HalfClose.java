package dev.strata.stream;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ShutdownEvent;
import io.vertx.core.net.impl.VertxConnection;

/**
 * TCP half-close for accepted sockets. Vert.x closes a socket as soon as the peer's FIN arrives, so a
 * client that sends its requests and then shuts down its output ({@code printf ... | nc}, a batch
 * job, {@code Socket.shutdownOutput()}) loses every reply still being computed. With Netty's
 * {@code ALLOW_HALF_CLOSURE} the FIN becomes an event instead; the connection passes it to the layer
 * above ({@link Connection#inputEndHandler}), which writes what it owes and then closes.
 *
 * <p>Vert.x 5 has no option for this, hence the internals: the socket's user-event handler, which
 * also receives Vert.x's own graceful-shutdown event, handed back to Vert.x here unchanged.
 */
final class HalfClose {

  private HalfClose() {
  }

  static void enable(NetSocket socket, Connection connection) {
    NetSocketInternal internal = (NetSocketInternal) socket;
    internal.channelHandlerContext().channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    internal.eventHandler(event -> {
      if (event instanceof ChannelInputShutdownEvent) {
        connection.inputEnded();
      } else if (event instanceof ShutdownEvent shutdown && socket instanceof VertxConnection vc) {
        vc.shutdown(shutdown.timeout(), shutdown.timeUnit()); // what Vert.x does with it by default
      } else {
        ReferenceCountUtil.release(event);
      }
    });
  }

  /** Sends our FIN (the peer may still send); false when the socket cannot half-close. */
  static boolean shutdownOutput(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal
        && internal.channelHandlerContext().channel() instanceof DuplexChannel duplex && duplex.isActive()) {
      duplex.shutdownOutput();
      return true;
    }
    return false;
  }
}
