/**
 * Layer 4, applications: verticles that see only event-bus messages, never a socket or a codec.
 *
 * <p>They import nothing from Strata but {@code dev.strata.exchange.Endpoint} (to serve an address
 * with the local fast path), {@code dev.strata.exchange.Headers} (header names) and the reply values
 * {@code ValueList} and {@code ErrorValue}. The same
 * verticle serves every listener pointed at its address, whatever the protocol: the listener's
 * protocol turns frames into bodies (a line as a String, a RESP command as a ValueList of Buffers)
 * and replies back into frames.
 */
package dev.strata.apps;
