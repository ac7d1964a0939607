/**
 * Configuration: {@code conf/strata.yaml} read with vertx-config, overridden from the environment and
 * system properties, bound to records with Jackson and validated; every error names the key's path.
 *
 * <p>May import: framing (to validate codec names and options). Never: the runtime layers.
 */
package dev.strata.config;
