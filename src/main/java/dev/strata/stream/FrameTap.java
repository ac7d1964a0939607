package dev.strata.stream;

/**
 * Receives a connection's decoded frames while a tap is on (the dashboard's live frame view). Off by
 * default: the layers above check {@link Connection#tap()} for null and do nothing else.
 */
public interface FrameTap {

  void inbound(Object frame);

  void outbound(Object frame);
}
