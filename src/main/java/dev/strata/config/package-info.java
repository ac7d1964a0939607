/**
 * Configuration: {@code conf/strata.yaml} read with vertx-config, overridden from the environment and
 * system properties, bound to records with Jackson and validated; every error names the key's path.
 *
 * <p>{@link dev.strata.config.TlsConfig} (the {@code tls} block of listeners, bridge, admin and connectors)
 * reads the files it names at load ({@link dev.strata.config.TlsFiles}) and turns itself into Vert.x's
 * {@code ServerSSLOptions} / {@code ClientSSLOptions}, so the layers below never see this package.
 *
 * <p>May import: framing (to validate codec names and options), Vert.x core's TLS option types. Never: the
 * runtime layers.
 */
package dev.strata.config;
