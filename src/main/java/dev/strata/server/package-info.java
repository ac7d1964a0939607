/**
 * The node: wires stream, framing and exchange into listener verticles and deploys applications and
 * listeners from a {@link dev.strata.config.StrataConfig}.
 */
package dev.strata.server;
